"""Notify service (information des forces de l'ordre): on each provisioned device, the
competent police or gendarmerie unit and the other force are sent a notice on the
partners' exchange, and acknowledge it; unacknowledged notices are re-sent and escalated."""

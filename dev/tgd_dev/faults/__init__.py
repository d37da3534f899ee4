"""``tgd-dev faults``: the fault-injection suite (zero loss, proven).

A burst of alerts goes through the real processes (gateway, alert, device, notify,
evaluation, referral, and the reference partner consumers of the police and the
association) on a private RabbitMQ node of its own, so restarting the broker never
disturbs anything else on the machine. During the burst one fault is injected; at the
end, what every partner consumer received is compared with what was triggered.
"""

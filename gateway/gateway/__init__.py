"""The API gateway for partner systems (FastAPI). No business rules here: it
validates the shape of requests, calls services over AMQP and maps their errors."""

"""Projections: a contract model (a read view, an event) built from a domain object, a
record or a stored document whose attributes carry the model's field names.

Where the names agree, :func:`project` copies every field of the model from the source,
so a view or an event is not written out field by field (and a field added to both cannot
be forgotten in between). A field the source names otherwise, or that is not the
source's, is given by the caller.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def project(model: type[Model], source: Any, **given: Any) -> Model:
    """``model`` with each field read from ``source``'s attribute of the same name, but
    those in ``given``. A field the source lacks is an error (AttributeError), as it
    would be written out by hand: the model never falls back to a default silently."""
    copied = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model(**copied, **given)

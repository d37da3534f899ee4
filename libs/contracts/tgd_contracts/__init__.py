"""TGD contracts: the only business code shared between services.

Every message on the bus is a CloudEvents 1.0 envelope (:mod:`tgd_contracts.envelope`)
whose ``data`` is one of the versioned pydantic models registered in
:mod:`tgd_contracts.registry`. Error codes live in :mod:`tgd_contracts.errors`.
"""

"""The OSC server: transports, address space, validation, replies and subscriptions.

``docs/osc.md`` is the contract; the address space here implements it.
"""

"""PC/SC cards: the social-security card (社保卡, contact) and the staff card (contactless UID).

``pcsc`` (a context that survives pcscd restarts) -> ``sscard`` (APDUs, records) ->
``watcher`` (our polling thread, health); ``simulator`` is a vsmartcard-vpcd card client.
"""

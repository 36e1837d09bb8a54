"""The management server (管理平台): fleet, 好差评 and content for terminals.

It shares nothing with the terminal code but the wire protocol and its JSON schemas.
"""

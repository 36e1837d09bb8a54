"""Notifications to people: citizens' calls for staff and webhooks (generic JSON, WeCom, DingTalk).

``outbox`` records what to announce inside the transaction of the change; ``sender`` delivers it
in the background with retries; ``formats`` shapes one message for each kind of receiver.
"""

# Webhook mode (bot/http/webhook.py): answers to whoever posts to WEBHOOK_URL (Telegram).

webhook-error-secret = The X-Telegram-Bot-Api-Secret-Token header is missing or wrong: this address takes updates from Telegram only.
webhook-error-update = The body is not a Telegram update (JSON with an update_id).
webhook-error-busy = Too many updates are waiting to be handled; send this one again in { $seconds } s.
webhook-error-draining = The bot is stopping: send this update again later.

# Режим вебхука (bot/http/webhook.py): ответы тому, кто присылает запросы на WEBHOOK_URL (Telegram).

webhook-error-secret = Заголовка X-Telegram-Bot-Api-Secret-Token нет или он неверен: этот адрес принимает обновления только от Telegram.
webhook-error-update = Тело запроса — не обновление Telegram (JSON с update_id).
webhook-error-busy = Слишком много обновлений ждут обработки; пришлите это ещё раз через { $seconds } с.
webhook-error-draining = Бот останавливается: пришлите это обновление позже.

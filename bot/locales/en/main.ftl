## Commands (Telegram's command list; at most 256 characters each)
cmd-start = Start and show the main menu
cmd-help = What I can do for you
cmd-menu = Show the main menu
cmd-settings = Language, time zone, digest hour
cmd-invite = Invite a manager or supervisor
cmd-users = Users, roles and teams
cmd-cancel = Leave the current dialog

## Main menu buttons
menu-help = ❓ Help
menu-settings = ⚙️ Settings
menu-invite = ➕ Invite
menu-users = 👥 Users
menu-shown = Main menu.

## Roles and languages
role-admin = admin
role-supervisor = supervisor
role-manager = key account manager
role-department = department member
language-ru = Русский
language-en = English

## Access and admission
access-invite-only = KAM Assistant works by invitation only. Ask your administrator for an invitation link and open it.
start-welcome = Welcome, { $name }! You are signed in as { $role }. Use the menu below or /help.
start-invite-used = This invitation has already been used. Ask your administrator for a new one.
start-invite-expired = This invitation has expired. Ask your administrator for a new one.
start-invite-unknown = This invitation link is not valid. Check the link or ask your administrator for a new one.

## Help, cancel, fallbacks
help-title = You are signed in as { $role }. Commands:
help-footer = /cancel leaves any dialog.
cancel-done = Cancelled. Nothing was saved.
cancel-nothing = There is nothing to cancel.
unknown-message = I did not understand that. See /help for what I can do.
error-not-available = This is not available to you (or no longer exists).
error-not-allowed = You are not allowed to do this.
error-unexpected = Sorry, something went wrong on our side. It has been logged; please try again.

## Buttons
button-skip = Skip
button-back = « Back

## Personal settings
settings-current =
    Your settings
    Language: { $language }
    Time zone: { $timezone }
    Morning digest: { $hour }
settings-language = Language
settings-timezone = Time zone
settings-digest = Morning digest hour
settings-company = Company settings
settings-choose-language = Choose your language:
settings-language-changed = Language changed to English.
settings-choose-timezone = Choose your time zone, or type its IANA name (for example Europe/Moscow or Asia/Novosibirsk):
settings-timezone-invalid = "{ $value }" is not a time zone I know. Type an IANA name such as Europe/Moscow, or press a button.
settings-choose-digest = At what local hour should the morning digest arrive?
settings-saved = Saved.

## Company (business) settings
company-settings-title = Company settings (changes are audited):
company-setting-prompt =
    { $name }: now { $value }.
    Send the new value. { $hint }
    /cancel keeps the current value.
company-setting-saved = { $name } is now { $value }.
setting-invite_ttl_days = Invitation lifetime, days
setting-invite_ttl_days-hint = A whole number of days from 1 to 90.
setting-quiet_hours = Quiet hours
setting-quiet_hours-hint = Two local times, for example 21:00-08:00.
setting-cadence_a_days = Contact cadence for tier A, days
setting-cadence_a_days-hint = A whole number of days from 1 to 365.
setting-cadence_b_days = Contact cadence for tier B, days
setting-cadence_b_days-hint = A whole number of days from 1 to 365.
setting-cadence_c_days = Contact cadence for tier C, days
setting-cadence_c_days-hint = A whole number of days from 1 to 365.
setting-default_digest_hour = Default digest hour for new users
setting-default_digest_hour-hint = An hour from 0 to 23.
setting-calendar_country = Country of the production calendar
setting-calendar_country-hint = A two-letter country code, for example RU, KZ or BY.
setting-calendar_overrides = Company calendar overrides
setting-calendar_overrides-hint = Dates with "work" or "off", separated by semicolons, for example: 31.12.2026 off; 26.12.2026 work. Send - to clear.
setting-error-calendar = Write each date as DD.MM.YYYY followed by "work" or "off", separated by semicolons. Nothing was changed; send another value or /cancel.
setting-error-country = I do not know a production calendar for that country code. Nothing was changed; send another value or /cancel.
setting-error-positive-int = That is not a whole number in the allowed range. Nothing was changed; send another value or /cancel.
setting-error-hour = That is not an hour from 0 to 23. Nothing was changed; send another value or /cancel.
setting-error-quiet-hours = Write quiet hours as two times, for example 21:00-08:00. Nothing was changed; send another value or /cancel.

## Invitations
invite-choose-role = Whom do you invite?
invite-role-chosen = Inviting a { $role }.
invite-no-supervisors = There is no supervisor yet. Invite a supervisor first, then their managers.
invite-choose-supervisor = Which supervisor's team will the manager join?
invite-ask-erp-name = Team: { $supervisor }. Send the manager's name or code as your ERP (1C) writes it, for example "Иванов Иван Иванович", or press Skip.
invite-erp-name-too-long = That name is too long (at most 256 characters). Send a shorter one, or press Skip.
invite-created =
    Invitation for a { $role }:
    { $link }
    It works once and expires in { $days } days. Send it to the person privately.
invite-error-role = Only managers and supervisors can be invited.
invite-error-no-supervisor = Choose an active supervisor for the manager.

## Users
users-list = Users: { $total } (page { $page }). Tap a user to change their role or team.
users-card =
    { $name } ({ $username })
    Role: { $role }
    Team of: { $team }
    Name in ERP: { $erp }
    Status: { $status }
    Language: { $language }, time zone: { $timezone }
users-status-active = active
users-status-inactive = deactivated
users-change-role = Change role
users-change-team = Change team
users-deactivate = Deactivate
users-activate = Reactivate
users-confirm-deactivate = Yes, deactivate
users-confirm-deactivate-text = Deactivate { $name }? They lose access at once; their history is kept.
users-choose-role = New role for { $name }:
users-choose-team = Whose team does { $name } join?
users-saved = Saved.
users-error-self = You cannot change your own role or deactivate yourself.
users-error-not-manager = Only a manager belongs to a team.

## Delivery
outbox-alert-failed = Delivery problem: notification #{ $id } ({ $kind }) to chat { $chat } could not be delivered after several attempts. Last error: { $error }
outbox-alert-dead = Delivery problem: Telegram refused notification #{ $id } ({ $kind }) to chat { $chat }: { $error }
outbox-user-unreachable = { $name } has blocked the bot (or left Telegram), so reminders cannot reach them. Please ask them to open the bot again and press Start.

"""The company's people: an admin, 2 supervisors with 3 key account managers each (one in
Yekaterinburg), and the claim departments with a member each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.demo.company.story import Pair, Story
from bot.services.claim_rules import Category
from bot.services.people import placeholder_telegram_id
from storage.dto import Role, UserCreate, UserDTO


@dataclass(frozen=True)
class Staff:
    role: Role
    name: Pair
    erp_name: str | None = None
    team: int | None = None  # index of the supervisor in SUPERVISORS order
    timezone: str | None = None  # None: the demo's zone
    department: int | None = None


STAFF: tuple[Staff, ...] = (
    Staff(Role.ADMIN, ("Елена Соколова", "Elena Sokolova")),
    Staff(Role.SUPERVISOR, ("Андрей Морозов", "Andrey Morozov")),
    Staff(Role.SUPERVISOR, ("Татьяна Волкова", "Tatyana Volkova")),
    Staff(Role.MANAGER, ("Иван Петров", "Ivan Petrov"), "Петров Иван Сергеевич", team=0),
    Staff(Role.MANAGER, ("Ольга Смирнова", "Olga Smirnova"), "Смирнова Ольга Николаевна", team=0),
    Staff(Role.MANAGER, ("Дмитрий Козлов", "Dmitry Kozlov"), "Козлов Дмитрий Андреевич", team=0),
    Staff(Role.MANAGER, ("Мария Новикова", "Maria Novikova"), "Новикова Мария Игоревна", team=1),
    Staff(
        Role.MANAGER,
        ("Алексей Лебедев", "Alexey Lebedev"),
        "Лебедев Алексей Викторович",
        team=1,
        timezone="Asia/Yekaterinburg",
    ),
    Staff(Role.MANAGER, ("Наталья Павлова", "Natalya Pavlova"), "Павлова Наталья Юрьевна", team=1),
    Staff(Role.DEPARTMENT, ("Сергей Кузнецов", "Sergey Kuznetsov"), department=0),
    Staff(Role.DEPARTMENT, ("Ирина Орлова", "Irina Orlova"), department=1),
)
DEPARTMENTS: tuple[tuple[Pair, tuple[Category, ...]], ...] = (
    (("Отдел качества", "Quality department"), (Category.QUALITY, Category.DAMAGED)),
    (
        ("Логистика и документы", "Logistics and documents"),
        (
            Category.QUANTITY,
            Category.DELIVERY_DATE,
            Category.DOCUMENTS,
            Category.PRICE,
            Category.OTHER,
        ),
    ),
)


async def staff_and_departments(story: Story) -> None:
    supervisors: list[UserDTO] = []
    for ordinal, staff in enumerate(STAFF, start=1):
        user = await story.repos.users.create(
            UserCreate(
                # Nobody's Telegram account: a person becomes someone's when an evaluator
                # opens the demo's invitation (with a BOT_TOKEN) or `:as` in the terminal.
                telegram_id=placeholder_telegram_id(ordinal),
                role=staff.role,
                full_name=story.t(staff.name),
                language=story.options.language,
                timezone=staff.timezone or story.options.timezone,
                supervisor_id=supervisors[staff.team].id if staff.team is not None else None,
                erp_name=staff.erp_name,
            ),
            actor_id=None,
            now=story.stamp - timedelta(days=400),
        )
        if user.id != ordinal:
            raise RuntimeError("the demo company is generated into an empty database only")
        story.users.append(user)
        if staff.role is Role.SUPERVISOR:
            supervisors.append(user)
        if staff.role is Role.MANAGER:
            story.managers.append(user)
    for index, (name, categories) in enumerate(DEPARTMENTS):
        department = await story.repos.departments.create(story.t(name), now=story.stamp)
        await story.repos.departments.set_categories(department.id, [c.value for c in categories])
        for user, staff in zip(story.users, STAFF, strict=True):
            if staff.department == index:
                await story.repos.departments.add_member(department.id, user.id)
    story.count("people", len(story.users))

"""The one registry: named stores that apps fill so the kernel never imports them.

Like NetBox's ``registry``: ``registry`` maps a store's name (``"core.nav"``, ``"customers.sections"``)
to a ``Store`` of items. A store is declared once, next to the type of its items
(``registry.declare(...)``); every app fills stores in its ``registrations.py``, and only there, with one
call: ``registry.register("core.nav", NavItem(...))``. Django's ``autodiscover_modules("registrations")``
(``CoreConfig.ready``) imports each installed app's ``registrations.py`` in ``INSTALLED_APPS`` order, so
nothing else has to import them. Readers iterate a store (``RECORD_TYPES.values()``, ``store.ordered()``);
docs/architecture.md lists every store, and a test fails when it does not.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:
    from .jobs import JobProgress
    from .models import Job

T = TypeVar("T")


def _item_key(item: Any) -> str:
    return str(item.key)


class Store(Mapping[str, T], Generic[T]):
    """Items of one kind, by key. Registering a key again replaces the item (a reloaded module, a test)."""

    def __init__(
        self,
        name: str,
        item_type: type[T] | tuple[type, ...],
        doc: str,
        *,
        key: Callable[[T], str] = _item_key,
        on_add: Callable[[T], None] | None = None,
    ) -> None:
        self.name = name
        self.item_type = item_type
        self.doc = doc
        self._key = key
        self._on_add = on_add
        self._items: dict[str, T] = {}

    def add(self, item: T) -> T:
        if not isinstance(item, self.item_type):
            raise ImproperlyConfigured(
                f"registry store {self.name!r} holds {self.item_type!r}, not {type(item).__name__}: {item!r}"
            )
        self._items[self._key(item)] = item
        if self._on_add is not None:
            self._on_add(item)
        return item

    def unregister(self, key: str) -> T | None:
        """Remove an item (tests that register a throw-away job kind)."""
        return self._items.pop(key, None)

    def ordered(self) -> list[T]:
        """The items by their ``order`` (100 when they have none), then by key."""
        return [v for _k, v in sorted(self._items.items(), key=lambda kv: (getattr(kv[1], "order", 100), kv[0]))]

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    # The dict's own views: Mapping's defaults go through __iter__ and __getitem__ in Python, which made
    # record_type_for_model() (run by every restrict()) 4-7x slower than on the plain dict it replaced.
    def keys(self) -> KeysView[str]:
        return self._items.keys()

    def values(self) -> ValuesView[T]:
        return self._items.values()

    def items(self) -> ItemsView[str, T]:
        return self._items.items()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Store {self.name}: {len(self)} items>"


class Registry(Mapping[str, Store[Any]]):
    def __init__(self) -> None:
        self._stores: dict[str, Store[Any]] = {}

    def declare(
        self,
        name: str,
        item_type: type[T] | tuple[type, ...],
        doc: str,
        *,
        key: Callable[[T], str] = _item_key,
        on_add: Callable[[T], None] | None = None,
    ) -> Store[T]:
        """Create the store ``name`` (``"<app>.<what>"``). Declaring it again (a re-imported module) returns it."""
        existing = self._stores.get(name)
        if existing is not None:
            return existing
        store: Store[T] = Store(name, item_type, doc, key=key, on_add=on_add)
        self._stores[name] = store
        return store

    def register(self, store: str, item: T) -> T:
        """The one way to register anything: ``registry.register("core.nav", NavItem(...))``."""
        try:
            target = self._stores[store]
        except KeyError:
            raise ImproperlyConfigured(
                f"no registry store {store!r} (declared: {', '.join(sorted(self._stores))}); "
                "is the app that declares it installed before the one that registers into it?"
            ) from None
        return target.add(item)

    def __getitem__(self, name: str) -> Store[Any]:
        return self._stores[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._stores)

    def __len__(self) -> int:
        return len(self._stores)


registry = Registry()


@dataclass(frozen=True)
class NavItem:
    """A top-level module in the shell's navigation."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    record_type: str | None = None  # shown only to users who may read this record type
    admin_only: bool = False


@dataclass(frozen=True)
class RecordType:
    """A kind of record whose rows are visible by ownership, team and role.

    ``owner_field``/``team_field`` are ORM paths from the model to the owning user and team
    (``None`` when the model has no such notion). ``defaults`` gives each default role's level
    per action when an administrator has not set one. ``parents`` names the model's foreign keys to
    the records it belongs to (an activity: ``("person", "company")``): a row is visible only when the
    user may read each parent it has (``core.visibility.restrict()``).
    """

    key: str
    label: str | Promise
    model: str
    owner_field: str | None = "owner"
    team_field: str | None = "team"
    actions: tuple[str, ...] = ("read", "create", "update", "delete", "assign", "export")
    defaults: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    order: int = 100
    parents: tuple[str, ...] = ()

    def model_class(self) -> Any:
        from django.apps import apps

        return apps.get_model(self.model)


@dataclass(frozen=True)
class JobKind:
    """A kind of background job and the function that does its work.

    ``download_permission`` is the (record type, action) a user must hold to download the job's
    result file, re-checked at every download (``core.jobfiles``): usually what starting the job
    needed. A callable picks it from the job (an import of companies needs the company right). A
    kind that declares none has no downloadable file. ``cancel_note`` tells, on the job page of a
    cancelled job, what stays done (an import keeps the lines it committed).
    """

    key: str
    label: str | Promise
    handler: Callable[[Job, JobProgress], dict[str, Any] | None]
    download_permission: tuple[str, str] | Callable[[Job], tuple[str, str]] | None = None
    cancel_note: str | Promise = ""
    #: Where a finished job's results are shown (the duplicate finder's pairs): the job page links to it.
    result_url: Callable[[Job], str] | None = None

    def permission_for(self, job: Job) -> tuple[str, str] | None:
        """The (record type, action) that downloading ``job``'s file needs, or None: not downloadable."""
        permission = self.download_permission
        return permission(job) if callable(permission) else permission


@dataclass(frozen=True)
class SettingsLink:
    """An entry on the Settings page (keyed by its URL name)."""

    label: str | Promise
    url_name: str
    description: str | Promise = ""
    record_type: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ShellWidget:
    """A template included at the end of every logged-in page (e.g. the incoming-call screen-pop)."""

    key: str
    template: str
    order: int = 100


@dataclass(frozen=True)
class HomePage:
    """A start page a module offers instead of the plain home page: ``view(request)`` answers ``/`` for
    users ``applies(user)`` admits (the first that admits them, by ``order``). ``/?all=1`` is the plain one."""

    key: str
    view: Callable[[Any], Any]
    applies: Callable[[Any], bool]
    order: int = 100


NAV_ITEMS: Store[NavItem] = registry.declare("core.nav", NavItem, "top-level modules in the menu")
HOME_PAGES: Store[HomePage] = registry.declare(
    "core.home_pages", HomePage, "start pages shown at / instead of the plain home"
)
RECORD_TYPES: Store[RecordType] = registry.declare(
    "core.record_types", RecordType, "kinds of records under visibility control, their actions and default levels"
)
JOB_KINDS: Store[JobKind] = registry.declare("core.job_kinds", JobKind, "background job kinds and their handlers")
SETTINGS_LINKS: Store[SettingsLink] = registry.declare(
    "core.settings_links", SettingsLink, "entries on the Settings page", key=lambda link: link.url_name
)
SHELL_WIDGETS: Store[ShellWidget] = registry.declare(
    "core.shell_widgets", ShellWidget, "templates included at the end of every logged-in page"
)


def record_type_for_model(model: Any) -> RecordType | None:
    label = f"{model._meta.app_label}.{model.__name__}".lower()
    for rt in RECORD_TYPES.values():
        if rt.model.lower() == label:
            return rt
    return None


# --- audit actions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditAction:
    """How an audit action code reads: ``message`` (``gettext_lazy``) with ``%(name)s`` placeholders
    filled from the entry's ``data``. Codes are namespaced ``<app>.<model>.<verb>``
    (``customers.person.merged_into``), like pretix's ``log_action("pretix.event.order.paid")``."""

    code: str
    message: str | Promise


#: Codes that ``audit_create``/``audit_update``/``audit_delete`` and a restore write for any model
#: (``accounts.team.updated``): they need no entry here, the entry's kind already says it.
AUDIT_GENERIC_VERBS = frozenset({"created", "updated", "deleted", "restored"})
AUDIT_ACTIONS: Store[AuditAction] = registry.declare(
    "core.audit_actions", AuditAction, "how each audit action code reads", key=lambda action: action.code
)


@dataclass(frozen=True)
class AuditField:
    """How a logged value that is not a model field reads (``customers.person.phones``, a snapshot of the
    record's phones), or one a model field holds as a mapping: ``expand(old, new, cache)`` gives (label,
    old, new) rows in the reader's language (``customers.person.custom``: one row per custom field, by its
    label); ``cache`` is shared by a page of entries, for what it looks up once per page."""

    key: str  # "<app>.<model>.<name>"
    label: str | Promise
    expand: Callable[[Any, Any, dict[Any, Any]], list[tuple[str, Any, Any]]] | None = None


AUDIT_FIELDS: Store[AuditField] = registry.declare(
    "core.audit_fields", AuditField, "how logged values that are not plain model fields read"
)

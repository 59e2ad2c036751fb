"""``{% kind_badge kind %}``: a kind's icon and name, for built-in kinds and an administrator's own."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from velinimet.activities.kinds import kind_icon, kind_label

register = template.Library()


@register.simple_tag
def kind_badge(kind: str) -> str:
    return format_html(
        '<span class="badge kind-badge"><svg class="icon" aria-hidden="true"><use href="{}#{}"></use></svg> {}</span>',
        static("velinimet/icons.svg"),
        kind_icon(kind),
        kind_label(kind),
    )

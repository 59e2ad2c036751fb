"""Two users cannot share an e-mail address (case-insensitive; many may have none).

A database that already holds users sharing an address stops here with a message naming them, before the
constraint is added: which of them keeps the address is an administrator's choice, not a migration's.
"""

from collections import defaultdict
from typing import Any

import django.db.models.functions.text
from django.db import migrations, models


def refuse_shared_addresses(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    holders: dict[str, list[str]] = defaultdict(list)
    for username, email in User.objects.exclude(email="").values_list("username", "email").order_by("username"):
        holders[email.lower()].append(username)
    shared = {email: names for email, names in holders.items() if len(names) > 1}
    if shared:
        lines = "\n".join(f"  {email}: {', '.join(names)}" for email, names in sorted(shared.items()))
        raise RuntimeError(
            "Users share e-mail addresses, which is no longer allowed. Give each of these users their own "
            "address (or none) in Settings → Users, then migrate again:\n" + lines
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_default_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_unique_ci",
            ),
        ),
    ]

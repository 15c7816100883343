"""A choice field's label for a value, from a table made once per field.

Django's ``get_FOO_display()`` rebuilds the field's whole table of choices at every
call (``dict(make_hashable(field.flatchoices))``, each lazy label hashed through
gettext): the auditor's history page asked it 350 times, a third of its time
(bench/pages --profile). The table keeps the lazy labels, so a label is still
translated into the language of the moment it is shown in.
"""

import functools

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


def label(field, value):
    """What ``get_FOO_display()`` returns: the value's label, or the value itself."""
    return force_str(labels(field).get(make_hashable(value), value), strings_only=True)


class ChoiceLabels:
    """Models with choice fields shown in lists take this before ``models.Model``:
    Django builds each ``get_FOO_display`` from the class's ``_get_FIELD_display``."""

    def _get_FIELD_display(self, field):
        return label(field, getattr(self, field.attname))

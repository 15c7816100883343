"""Path converters of our URLs.

``<id:pk>``: a row's key, a whole number of at most 18 digits, which every 64-bit key
column holds. Django's ``<int:...>`` takes any length: a 20-digit number reached the
database, where SQLite refused to bind it (OverflowError, a 500 on the embedded run)
and PostgreSQL compared it to nothing. A longer number now matches no URL: a 404.
"""

from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"

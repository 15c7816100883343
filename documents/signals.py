"""What the documents' write path tells the apps that keep something of a document's text.

``document_changed`` is sent (``sender=Document``, ``document=``) whenever the text of
a document's pages or the case it is on changes: its reading finished or was started
again, it was filed on a case or moved to another, it was deleted. It is sent inside the
change's transaction, after the change: a receiver (the search index of the case,
``cases.search``) writes with it and rolls back with it. A document moved from one case
to another is sent with ``previous_complaint_id``, the case it left (else None).
"""

from django.dispatch import Signal

document_changed = Signal()

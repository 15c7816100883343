"""The photos of a news post: checked and re-encoded as the officers' case photos are
(``cases.files.reencoded_photo``: judged by their bytes, never by their name or the
browser's content type; orientation applied; EXIF, GPS position and every other
metadata dropped), sized for the web, and stored under names we make.

The files are written inside the caller's transaction: ``store`` deletes what it
wrote if saving fails, and files of photos taken away are deleted only once the
transaction has committed, so that a rollback never leaves a row without its file.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from cases.files import reencoded_photo
from citizens.models import NewsPhoto

# The long side of a photo as shown and shared (Open Graph asks for 1200 px and more),
# and of its thumbnail in the lists and the gallery (sharp at 240 CSS px on a 2x phone).
PHOTO_SIDE = 1600
THUMBNAIL_SIDE = 480


@dataclass(frozen=True)
class PreparedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def prepare(uploaded) -> PreparedPhoto:
    """Check ``uploaded`` and re-encode it (ValidationError ``{"file": [...]}`` for what we do not take)."""
    image, thumbnail = reencoded_photo(uploaded, max_side=PHOTO_SIDE, thumbnail_side=THUMBNAIL_SIDE)
    with Image.open(io.BytesIO(image)) as encoded:  # our own JPEG: its header only
        width, height = encoded.size
    return PreparedPhoto(image=image, thumbnail=thumbnail, width=width, height=height)


def store(photo: NewsPhoto, prepared: PreparedPhoto) -> NewsPhoto:
    """Write ``prepared``'s files and save ``photo`` (its width and height read from the image)."""
    stem = uuid.uuid4().hex
    written = []
    try:
        photo.image.save(f"{stem}.jpg", ContentFile(prepared.image), save=False)
        written.append(photo.image)
        photo.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail), save=False)
        written.append(photo.thumbnail)
        # Set after the files: saving a file makes the image field read its size again.
        photo.width, photo.height = prepared.width, prepared.height
        photo.save()
    except BaseException:
        delete_files(written)
        raise
    return photo


def files_of(photos) -> list:
    return [field_file for photo in photos for field_file in (photo.image, photo.thumbnail) if field_file]


def delete_files(field_files) -> None:
    """Delete stored files now (those of rows a failed transaction takes back)."""
    for field_file in field_files:
        _delete_quietly(field_file.storage, field_file.name)


def delete_after_commit(photos) -> None:
    """Delete the files of ``photos`` (rows the caller deletes) once its transaction has committed."""
    names = [(field_file.storage, field_file.name) for field_file in files_of(photos)]
    transaction.on_commit(lambda: [_delete_quietly(storage, name) for storage, name in names])


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """The thumbnail's width and height for a photo of ``width`` × ``height`` (for the page's layout)."""
    if not width or not height:
        return THUMBNAIL_SIDE, THUMBNAIL_SIDE * 3 // 4
    scale = min(1.0, THUMBNAIL_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # noqa: S110 - a file left behind is harmless; the error that matters is the caller's
        pass

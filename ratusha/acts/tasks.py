"""Background work for acts, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from ratusha.core.permissions import SYSTEM


@task()
def publish_scheduled_act(act_id: int, scheduled_for: str) -> bool:
    """Publish an act at its scheduled time, unless the schedule changed meanwhile."""
    from . import services
    from .models import Act

    act = Act.objects.filter(pk=act_id, published_at__isnull=True).first()
    if act is None or act.publish_at is None:
        return False
    if act.publish_at != dt.datetime.fromisoformat(scheduled_for):
        return False  # rescheduled: the newer task publishes it
    services.act_publish(actor=SYSTEM, act=act)
    return True


@task()
def publish_due_acts() -> int:
    """Publish every act whose scheduled time has passed (safety net for lost tasks)."""
    from . import services

    return len(services.act_publish_due(actor=SYSTEM))


@task()
def deadline_digest() -> int:
    """Daily: e-mail staff what is at risk, then schedule tomorrow's run."""
    from ratusha.core.scheduling import schedule_next

    from .notifications import send_deadline_digest

    try:
        return send_deadline_digest()
    finally:
        schedule_next("ratusha.acts.tasks:deadline_digest")


@task()
def ocr_act_file(file_id: int) -> str:
    """Recognise the text of a scanned file (PDF or image) with Tesseract and store it; the
    act's text follows (``services.act_file_set_text``). Returns the resulting text status."""
    from django.utils.translation import gettext as _

    from . import services
    from .choices import TextStatus
    from .documents import OcrFailed, ocr_image_or_pdf
    from .models import ActFile

    act_file = ActFile.objects.filter(pk=file_id).first()
    if act_file is None or act_file.text_status != TextStatus.OCR_PENDING:
        return "skipped"
    try:
        with act_file.file.open("rb") as stored:
            content = stored.read()
        text = ocr_image_or_pdf(content, act_file.file_format)
    except (OcrFailed, OSError) as exc:
        status, text, error = TextStatus.FAILED, "", str(exc)
    else:
        if text:
            status, error = TextStatus.DONE_OCR, ""
        else:
            status, error = TextStatus.FAILED, _("OCR recognised no text")
    services.act_file_set_text(
        actor=SYSTEM, act_file=act_file, text=text, status=status, error=error
    )
    return status

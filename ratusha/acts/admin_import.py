"""The admin's import of acts from an uploaded ZIP: the same path as ``manage.py import_acts``.

Staff (administrators and the department) upload a ZIP of DOCX/ODT/PDF/scanned files with an
optional ``manifest.csv`` inside. The archive is checked from its central directory before
anything is unpacked (size, member count, compression ratio, paths escaping the folder, absolute
paths, symbolic links, encryption), unpacked into a temporary folder with every member capped at
its declared size, and imported by ``importing.import_folder`` in this process (the ZIP size limit
keeps that bounded); the page shows the report.

Wired into the admin by ``wagtail_hooks`` as ``/admin/acts-import/`` (namespace ``acts_import``).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ratusha.core.permissions import RecordPermissionDenied, require_role
from ratusha.core.roles import Role

from .documents import DocumentRejected, check_zip, rejected, unsafe_member_name
from .importing import ImportSetupError, import_folder
from .models import ActKind

MIB = 1024 * 1024


def zip_limits() -> dict[str, int]:
    """Limits of an uploaded ZIP (settings ``ACTS_IMPORT_MAX_ZIP_SIZE``, ``…_MAX_UNPACKED``,
    ``…_MAX_MEMBERS``), so a synchronous import stays bounded."""
    return {
        "size": getattr(settings, "ACTS_IMPORT_MAX_ZIP_SIZE", 100 * MIB),
        "unpacked": getattr(settings, "ACTS_IMPORT_MAX_UNPACKED", 500 * MIB),
        "members": getattr(settings, "ACTS_IMPORT_MAX_MEMBERS", 2000),
    }


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: archives made on Windows store Cyrillic names
    in CP866 without saying so (Python reads those as CP437); UTF-8 ones are flagged or valid."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866", "replace")


def unpack_zip(upload, target: Path, *, name: str) -> None:
    """Check the uploaded ZIP and unpack it into ``target``; ``DocumentRejected`` (naming the
    archive and the problem) when it is too big, not a ZIP, a bomb or hostile. Nothing is
    written outside ``target``, and no member is written past the size it declared."""
    limits = zip_limits()
    if upload.size > limits["size"]:
        raise rejected(
            name,
            _("the file is %(size)s, more than the limit of %(limit)s")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limits["size"])},
        )
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise rejected(name, _("it is not a ZIP archive or it is damaged")) from exc
    root = target.resolve()
    with archive:
        check_zip(name, archive, max_total=limits["unpacked"], max_members=limits["members"])
        for info in archive.infolist():
            if info.is_dir():
                continue
            relative = member_name(info).replace("\\", "/")
            if unsafe_member_name(relative):
                raise rejected(
                    name, _("«%(member)s» inside has an unsafe path") % {"member": relative}
                )
            if relative.startswith("__MACOSX/"):
                continue
            destination = (root / relative).resolve()
            if not destination.is_relative_to(root) or destination == root:
                raise rejected(
                    name, _("«%(member)s» inside has an unsafe path") % {"member": relative}
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            _extract(name, archive, info, destination, relative)


def _extract(name: str, archive, info, destination: Path, relative: str) -> None:
    left = info.file_size
    try:
        with archive.open(info) as source, open(destination, "xb") as out:
            while chunk := source.read(min(1 * MIB, left + 1)):
                left -= len(chunk)
                if left < 0:
                    raise rejected(name, _("the file is damaged and cannot be read"))
                out.write(chunk)
    except FileExistsError as exc:
        raise rejected(
            name, _("«%(member)s» is in the archive twice") % {"member": relative}
        ) from exc
    except (zipfile.BadZipFile, RuntimeError, EOFError, ValueError) as exc:
        # RuntimeError: an encrypted member; BadZipFile: a bad CRC or a damaged stream.
        raise rejected(name, _("the file is damaged and cannot be read")) from exc


def import_root(folder: Path) -> Path:
    """Where the files are: a ZIP of one folder (as «Send to → Compressed folder» makes) holds
    everything, the manifest too, inside that folder."""
    entries = [entry for entry in folder.iterdir() if entry.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return folder


class ZipImportForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("ZIP archive"),
        help_text=gettext_lazy(
            "DOCX, ODT, PDF or scanned files; optionally manifest.csv with the columns kind, "
            "number, date, title, file. Without a manifest row the number, date and title are "
            "read from the document."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    kind = forms.ModelChoiceField(
        queryset=ActKind.objects.all(),
        required=False,
        label=gettext_lazy("Kind of act"),
        help_text=gettext_lazy(
            "For files without a manifest row; if empty, it is read from the document's header."
        ),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the imported acts"), required=False, initial=True
    )


class ZipImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "acts/admin/import.html"
    form_class = ZipImportForm
    header_icon = "doc-full"
    page_title = gettext_lazy("Import acts (ZIP)")

    def dispatch(self, request, *args, **kwargs):
        try:
            require_role(request.user, Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF)
        except RecordPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["limits"] = zip_limits()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["archive"]
        name = re.split(r"[\\/]", upload.name)[-1]
        folder = Path(tempfile.mkdtemp(prefix="ratusha-import-"))
        try:
            try:
                unpack_zip(upload, folder, name=name)
            except DocumentRejected as exc:
                form.add_error("archive", exc.messages)
                return self.form_invalid(form)
            try:
                report = import_folder(
                    import_root(folder),
                    actor=self.request.user,
                    kind=form.cleaned_data.get("kind"),
                    publish=form.cleaned_data.get("publish", False),
                    workers=1,
                    progress=False,
                )
            except ImportSetupError as exc:
                form.add_error(None, str(exc))
                return self.form_invalid(form)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report, archive_name=name)
        )


upload = ZipImportView.as_view()

urlpatterns = [path("", upload, name="upload")]

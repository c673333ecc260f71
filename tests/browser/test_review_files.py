"""The district official reads an attached PDF inside the review page (第八条): the browser
loads it from the portal's sandboxed inline address, and the page breaks no rule of its policy."""

import pytest
from playwright.sync_api import expect

from applications.models import Application
from portal.management.commands.seed_demo import DEMO_PASSWORD
from reviews.files import INLINE_CSP

pytestmark = pytest.mark.browser

# Chromium's built-in PDF viewer extension.
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def test_the_official_sees_the_pdf_attachment_inline(page, portal, log_in, save_screenshot):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    application = (Application.objects.filter(routed_department__name__contains="崂山",
                                              status="submitted",
                                              attachments__content_type="application/pdf")
                   .order_by("pk").first())
    assert application is not None
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/")
    page.locator("#review-inbox a", has_text=application.center_name).first.click()
    panel = page.locator("#attachments details.attachment-panel").first
    with page.expect_response(lambda r: "/view/" in r.url) as answer:
        panel.locator("summary").click()
    response = answer.value
    assert response.status == 200
    headers = response.all_headers()
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline;")
    assert headers["content-security-policy"] == INLINE_CSP
    assert headers["x-content-type-options"] == "nosniff"
    expect(panel.locator("iframe.attachment-viewer")).to_be_visible()
    # Chromium's own PDF viewer (its built-in extension) renders the file inside the frame:
    # shown, not downloaded, in spite of the sandbox.
    # The viewer opened this very file: it titles itself with the file's name.
    pdf = application.attachments.filter(content_type="application/pdf").order_by(
        "kind", "uploaded_at", "id").first()
    for _ in range(50):
        viewer = [f for f in page.frames if f.url.startswith(PDF_VIEWER)]
        if viewer and viewer[0].evaluate("document.title") == pdf.served_name:
            break
        page.wait_for_timeout(200)
    else:
        pytest.fail(f"no PDF viewer showing {pdf.served_name}: {[f.url for f in page.frames]}")
    assert downloads == []
    save_screenshot(page, "review-attachment-inline")
    assert violations == []


@pytest.mark.usefixtures("celery_eager")
def test_ticked_applications_download_as_one_zip_without_the_return_question(page, portal,
                                                                             log_in):
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/")
    boxes = page.locator("#review-inbox input[name=application]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#bundle-files").click()
    expect(page.locator("#download")).to_be_visible()
    assert dialogs == []
    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename.endswith(".zip")

    # 退回修改 still asks first, and a cancel sends nothing.
    page.goto(f"{portal}/district/reviews/")
    page.locator("#review-inbox input[name=application]").nth(0).check()
    page.locator("#return-many").click()
    page.wait_for_timeout(300)
    assert len(dialogs) == 1 and "退回修改" in dialogs[0]
    assert page.url.endswith("/district/reviews/")


def test_a_hostile_file_named_pdf_is_neither_run_nor_downloaded_by_the_viewer(page, portal,
                                                                              log_in):
    from django.core.files.base import ContentFile

    from applications.models import Attachment
    from reviews.files import NOT_INLINE_TEXT

    application = (Application.objects.filter(routed_department__name__contains="崂山",
                                              status="submitted",
                                              attachments__content_type="application/pdf")
                   .order_by("pk").first())
    attachment = application.attachments.filter(content_type="application/pdf").first()
    # Starts as a PDF (upload detection accepts it) and carries an HTML page with a script.
    hostile = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    attachment.file.save("证明.pdf", ContentFile(hostile), save=False)
    Attachment.objects.filter(pk=attachment.pk).update(file=attachment.file.name,
                                                      size=len(hostile))
    dialogs, downloads = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("download", lambda download: downloads.append(download))
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/{application.pk}/")
    panel = page.locator(f"details.attachment-panel[data-attachment='{attachment.pk}']")
    panel.locator("summary").click()
    viewer = page.frame_locator(f"details[data-attachment='{attachment.pk}'] iframe")
    expect(viewer.locator("body")).to_have_text(NOT_INLINE_TEXT)
    page.wait_for_timeout(500)
    assert downloads == [] and dialogs == []

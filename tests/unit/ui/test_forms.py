"""StationForm: labels tied to fields, inline errors that keep what was typed, Ctrl+Enter,
and drafts saved as the officer types."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit

from station_app.services.drafts import DraftStore
from station_app.ui.forms import DraftAutosave, StationForm
from station_app.ui.runner import OperationRunner


def make_form(qtbot) -> StationForm:
    form = StationForm("Test report", "&Submit report")
    form.add_section("Victim")
    form.add_field("name", "&Name", QLineEdit(), required=True)
    form.add_field("postcode", "&Postcode", QLineEdit(), hint="Like SE1 7PB")
    form.add_section("What happened")
    form.add_field("account", "&Account", QPlainTextEdit())
    form.add_field("injury", "&Injury", QCheckBox())
    qtbot.addWidget(form)
    form.show()
    return form


def test_fields_have_accessible_names_and_follow_reading_order(qtbot):
    form = make_form(qtbot)
    assert form.field("name").accessibleName() == "Name"
    assert "Required" in form.field("name").accessibleDescription()
    form.field("name").setFocus()
    qtbot.keyClick(form.field("name"), Qt.Key.Key_Tab)
    assert form.focusWidget() is form.field("postcode")


def test_errors_show_under_fields_and_keep_every_value(qtbot):
    form = make_form(qtbot)
    qtbot.keyClicks(form.field("name"), "Ada Quill")
    qtbot.keyClicks(form.field("postcode"), "SE1 7ZZZ")
    before = form.values()
    form.set_errors({"postcode": "Not a UK postcode format.", "offence": "Pick an offence."})
    assert form.findChild(type(form.message), "postcodeError").text() == "Not a UK postcode format."
    assert "Pick an offence." in form.message.text()
    assert form.values() == before
    assert form.focusWidget() is form.field("postcode")


def test_ctrl_enter_submits(qtbot):
    form = make_form(qtbot)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.field("name").setFocus()
    with qtbot.waitSignal(form.submitted, timeout=1000):
        qtbot.keyClick(form.field("name"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_typing_saves_a_draft_that_restores_every_field(qtbot, tmp_path):
    form = make_form(qtbot)
    store = DraftStore(tmp_path)
    runner = OperationRunner()
    autosave = DraftAutosave(form, store, runner, "test_report", delay_ms=10)
    try:
        qtbot.keyClicks(form.field("name"), "Ada Quill")
        form.field("injury").setChecked(True)
        with qtbot.waitSignal(autosave.saved, timeout=3000):
            pass
        runner.wait_for_done()
        (draft,) = store.drafts("test_report")
        restored = make_form(qtbot)
        restored.set_values(draft.fields)
        assert restored.values() == form.values()
        autosave.discard()
        runner.wait_for_done()
        qtbot.waitUntil(lambda: store.drafts() == [])
    finally:
        runner.shutdown()


def test_the_error_summary_links_to_each_field_and_a_fixed_field_clears_at_once(qtbot):
    """GOV.UK's error summary (issue 13): at the top, each problem a link to its field; the
    form scrolls to the first; a problem goes as soon as its field is changed."""
    form = make_form(qtbot)
    form.resize(420, 160)  # too short to show every field: the form must scroll
    form.set_errors({"name": "Enter the name.", "injury": "Say whether there was an injury."})
    assert form.summary.isVisible()
    assert "There are 2 problems" in form.summary.text()
    assert 'href="field:injury"' in form.summary.text()
    assert form.focusWidget() is form.field("name")  # the first problem has the cursor

    form.summary.linkActivated.emit("field:injury")  # Enter or a click on the link
    assert form.focusWidget() is form.field("injury")
    assert form.field("injury").visibleRegion().isEmpty() is False  # scrolled into view

    qtbot.keyClicks(form.field("name"), "Ada")  # fixed: that problem goes at once
    assert form.findChild(type(form.message), "nameError").isHidden()
    assert "There is a problem" in form.summary.text() and "name" not in form.summary.text()
    form.field("injury").setChecked(True)
    assert not form.summary.isVisible()

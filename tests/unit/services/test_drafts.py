"""Drafts: encrypted on disk, readable again with the profile's key, removed on discard."""

from __future__ import annotations

from station_app.services.drafts import DraftStore


def test_a_draft_round_trips_and_is_not_readable_on_disk(tmp_path, memory_keyring):
    store = DraftStore(tmp_path / "drafts")
    store.save(
        "walk_in_report", "abc", {"victim_name": "Ada Quill", "postcode": "SE1 7PB"}, "Theft"
    )
    (path,) = (tmp_path / "drafts").glob("*.draft")
    assert b"Ada Quill" not in path.read_bytes()
    assert [key for (_service, key) in memory_keyring.secrets] == ["draft-key"]

    again = DraftStore(tmp_path / "drafts").load("walk_in_report", "abc")
    assert again is not None
    assert again.fields == {"victim_name": "Ada Quill", "postcode": "SE1 7PB"}
    assert again.title == "Theft"
    assert [d.draft_id for d in store.drafts("walk_in_report")] == ["abc"]

    store.discard("walk_in_report", "abc")
    assert store.drafts() == []


def test_a_draft_sealed_with_another_key_is_kept_but_not_offered(tmp_path, memory_keyring):
    store = DraftStore(tmp_path)
    store.save("mg11", "1", {"witness": "Bo Lind"})
    memory_keyring.secrets.clear()  # another profile: another key
    assert DraftStore(tmp_path).drafts() == []
    assert len(list(tmp_path.glob("*.draft"))) == 1

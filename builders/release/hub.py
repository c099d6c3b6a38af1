"""``--push-to-hub REPO``: upload a release folder as it is and tag the commit ``v<version>``.

The files are uploaded byte for byte (``HfApi.upload_folder``) rather than re-encoded by
``Dataset.push_to_hub``, so the checksums in ``manifest.json`` hold on the Hub too, and a reader
pins a version with ``load_dataset(REPO, config, revision="v<version>")``.
"""

from __future__ import annotations

from pathlib import Path


class HubTagExists(RuntimeError):
    pass


def push_release(release: Path, repo_id: str, version: str, token: str | None = None) -> str:
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    tag = f"v{version}"
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    tags = {ref.name for ref in api.list_repo_refs(repo_id, repo_type="dataset").tags}
    if tag in tags:
        raise HubTagExists(f"{repo_id} already has tag {tag}: a released version is not re-pushed")
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type="dataset",
        folder_path=str(release),
        commit_message=f"Release {version}",
        delete_patterns=["*"],  # the repo's main branch mirrors exactly this release
    )
    api.create_tag(
        repo_id, tag=tag, revision=commit.oid, repo_type="dataset", tag_message=f"Release {version}"
    )
    return f"https://huggingface.co/datasets/{repo_id}/tree/{tag}"

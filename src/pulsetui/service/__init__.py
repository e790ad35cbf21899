"""Use cases both front-ends call, through one Workspace API."""

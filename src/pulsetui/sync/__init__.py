"""Exchange of op segments through a shared folder."""

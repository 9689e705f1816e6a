"""Letter texts: one TOML per kind, zh_CN and en_US side by side, filled by documents/letters.py."""

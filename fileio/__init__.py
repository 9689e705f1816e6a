"""Writing files so that they are whole or absent, and private: the one way the program writes a file.

A neutral package: it imports nothing of the program, so every layer that
writes a file (storage, services, documents, the window) can use it.
"""

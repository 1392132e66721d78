"""socmed_adapters: storage configuration, the composition root, publishers and other edges."""

from socmed_adapters.bootstrap import Services, bootstrap

__all__ = ["Services", "bootstrap"]

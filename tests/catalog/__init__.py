"""Tests of the catalog: data files, answer validation, loader and snapshot."""

"""Exceptions raised by ``xapi``; each carries a message fit to show a person."""

from __future__ import annotations


class XapiError(Exception):
    """Base of every error ``xapi`` raises on purpose."""


class SettingsError(XapiError):
    """A configuration value cannot be used."""


class LRSError(XapiError):
    """The LRS could not be reached or gave an answer we cannot use."""

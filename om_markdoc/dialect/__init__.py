"""The OpenMetadata dialect: tag library, node overrides and lenient recovery, above the core."""

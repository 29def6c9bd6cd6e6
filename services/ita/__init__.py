"""The ITA year as data: the catalogue an organisation adopts (format, loading, positions, views).

Above services.publication in the service layers (beside yearly); it may use accounts."""

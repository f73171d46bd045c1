"""City311: a 311 non-emergency services backend built on Chicago's."""

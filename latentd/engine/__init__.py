"""The real-time core: controls, latent sources, scheduling, rendering and recording."""

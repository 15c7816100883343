"""The complaint (เรื่องร้องเรียน): models, services (the only write path) and selectors."""

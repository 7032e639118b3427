"""Transfer operators that move rows between the platform's databases."""

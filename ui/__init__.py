"""CoopDesk's Qt user interface. Pages, dialogs and item models; the data comes from
app.services only."""

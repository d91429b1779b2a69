"""The editors' admin of the publishing pipeline (Wagtail admin views).

``calendar``: pending publishes, expiries and releases by day and week, with
reschedule and cancel; ``releases``: the release viewset and its status page;
``webhooks``: endpoints and the delivery log; ``health``: the dashboard panel.
Each view is a thin door onto ``publishing.planning`` and ``publishing.releases``,
the status data of ``publishing.api`` and ``publishing.webhooks``; ``timeline``
holds the calendar's queries (the publishing API's ``/schedule/`` reads them too).
"""

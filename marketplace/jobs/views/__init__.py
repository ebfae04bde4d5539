"""The job board's blueprints: the public listing, the firm's area, the graduate's area and the staff's."""
from marketplace.jobs.views import firm, graduate, public, staff

blueprints = [public.bp, firm.bp, graduate.bp, staff.bp]

-- wrk script for admin_wrk_bench.sh: every request carries the bearer token from the
-- environment, like the monitor page's requests do.
local token = os.getenv("CARDSYNC_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token

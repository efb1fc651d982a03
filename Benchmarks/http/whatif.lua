-- wrk script: the what-if with a random share on every request, each a page nobody asked
-- for before (four decimals). Each wrk thread seeds its own generator: seeded alike, the
-- threads would ask for the same shares and every second one would find a kept page.
--
--   wrk -t2 -c64 -d10s --latency -s Benchmarks/http/whatif.lua http://127.0.0.1:8080
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
  for _ = 1, 10 do math.random() end
end

request = function()
  local share = string.format("0.%04d", math.random(1, 9999))
  return wrk.format("GET", "/budget/what-if?year=2026&code=101201&from=3&to=4&share=" .. share)
end

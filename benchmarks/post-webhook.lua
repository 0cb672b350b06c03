-- wrk script: POST the documented spot-recreated example, as Uniskai would, each time a new event: a sequence number
-- as an unknown field makes every body distinct, so its hash (the ingest's record key without a sender id) differs
-- and records spread over the raw topic's partitions as distinct events would.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HERALD_BENCH_TOKEN") or "bench-token")
local example = '{"type":"spot-recreated","resources":[{"name":"i-0abc12d345ef678","type":"ec2-spot-instance","region":"eu-central-1","vpc":"vpc-12a345bc"}]}'
local sequence = 0

request = function()
  sequence = sequence + 1
  return wrk.format(nil, nil, nil, '{"herald_bench_sequence":' .. sequence .. ',' .. string.sub(example, 2))
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end

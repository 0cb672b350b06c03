-- wrk script: POST the documented spot-recreated example, as Uniskai would.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HERALD_BENCH_TOKEN") or "bench-token")
wrk.body = '{"type":"spot-recreated","resources":[{"name":"i-0abc12d345ef678","type":"ec2-spot-instance","region":"eu-central-1","vpc":"vpc-12a345bc"}]}'

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d errors_connect=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end

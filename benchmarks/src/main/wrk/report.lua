--[[

    Licensed under the Apache License, Version 2.0 (the "License");
    you may not use this file except in compliance with the License.
    You may obtain a copy of the License at

        http://www.apache.org/licenses/LICENSE-2.0

    Unless required by applicable law or agreed to in writing, software
    distributed under the License is distributed on an "AS IS" BASIS,
    WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
    See the License for the specific language governing permissions and
    limitations under the License.

]]
-- Loaded by submit.lua and poll.lua: at the end of a run, one line that HttpBenchmark reads
-- (and a person can): completed requests, run time, latency percentiles and errors of all
-- kinds, non-2xx answers included. Latencies in microseconds, as wrk records them.
function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("switchboard-wrk requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
        errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end

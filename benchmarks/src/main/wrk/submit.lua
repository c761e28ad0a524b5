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
-- POST /v1/statement as trino-cli or trino-jdbc sends it: a new query on every request.
--   wrk -t2 -c16 -d6s -s submit.lua http://127.0.0.1:<port>/v1/statement
wrk.method = "POST"
wrk.body = "SELECT 1"
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
wrk.headers["X-Trino-User"] = "benchmark"
wrk.headers["X-Trino-Source"] = "switchboard-benchmark"

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

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
-- GET of a nextUri, the request a client repeats while its query runs: the URL is the nextUri
-- that one submit through the same target answered (through the gateway, routed by its query
-- id to the cluster that has the query; through nginx, by its /cluster/<name> prefix). The stub
-- serves any nextUri any number of times. Also used for GET /v1/info.
--   wrk -t2 -c16 -d6s -s poll.lua http://127.0.0.1:<port>/v1/statement/queued/<query id>/<slug>/1
wrk.method = "GET"
wrk.headers["X-Trino-User"] = "benchmark"

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

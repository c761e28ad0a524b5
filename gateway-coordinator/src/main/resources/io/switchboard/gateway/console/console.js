/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
'use strict';

// The console reads and changes the gateway only through its API. Credentials stay in this
// page's memory: a reload asks for them again. Everything shown is set as text, never as HTML.
// Views are switched by the URL hash: #fleet[/<cluster>], #queries[?<filters>], #query/<id>,
// #routing, #audit, #analytics[?<range>]; a search's filters are in the hash, so that it can be
// bookmarked, shared and reached again with the browser's Back.

const REFRESH_MILLIS = 3000;
const VIEWS = ['fleet', 'queries', 'query', 'routing', 'audit', 'analytics'];
const FINAL_QUERY_STATES = new Set(['FINISHED', 'FAILED', 'LOST']);
// the fleet's load charts read the history in MySQL: less often than the clusters
const LOAD_REFRESH_MILLIS = 30000;

// generation: a refresh whose answer arrives after a newer refresh or a sign-out shows nothing
// notice: the outcome of the last action, shown until the next action or sign-in
// access: what GET /api/v1/session answered (who, and whether they may change anything)
// signInOptions: how the gateway last said one may sign in (password form, single sign-on link)
const session = { authorization: null, timer: null, generation: 0, notice: '', access: null, signInOptions: null };

// what the operator has open; survives the tables being redrawn on every refresh
const state = {
    view: 'fleet',
    cluster: null,
    queryId: null,
    clusters: [],
    editing: null,
    confirmDelete: null,
    rolloutGroup: null,
    queryFilters: {},
    queryAfter: [],
    queryNext: null,
    queryLimit: '50',
    shownQuery: null,
    analytics: { range: 'hour', from: '', to: '', by: 'cluster' },
    // the hash whose filters the form of each view shows: the form is filled from the hash only when
    // the hash changed otherwise (Back, a bookmark), never over what the operator is typing
    searchHash: { queries: null, analytics: null },
    loadReadAt: 0,
};

class SignInRequired extends Error {
    constructor(message, options) {
        super(message);
        this.options = options;
    }
}

function element(id) {
    return document.getElementById(id);
}

async function api(method, path, body) {
    // tells the gateway not to ask for the browser's own password dialog
    const headers = { 'X-Requested-With': 'switchboard-console' };
    if (method !== 'GET') {
        // the API takes administrative writes only with a JSON content type (the body may be empty)
        headers['Content-Type'] = 'application/json';
    }
    if (session.authorization) {
        headers.Authorization = session.authorization;
    }
    // same-origin: the single sign-on session is a cookie (HttpOnly, SameSite=Lax)
    const request = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
        request.body = JSON.stringify(body);
    }
    const response = await fetch(path, request);
    const answer = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401) {
        throw new SignInRequired(errorText(answer, response), answer);
    }
    if (!response.ok) {
        const error = new Error(errorText(answer, response));
        error.status = response.status;
        throw error;
    }
    return answer;
}

function errorText(body, response) {
    return body && body.error ? body.error : `HTTP ${response.status} ${response.statusText}`;
}

function showMessage(text) {
    const message = element('message');
    message.textContent = text;
    message.hidden = !text;
}

function showSignIn(reason) {
    clearTimeout(session.timer);
    session.generation++;
    session.notice = '';
    session.authorization = null;
    session.access = null;
    element('content').hidden = true;
    element('views').hidden = true;
    element('sign-out').hidden = true;
    element('signed-in').textContent = '';
    element('sign-in-reason').textContent = reason;
    const options = session.signInOptions;
    const singleSignOn = options && options.signInUrl;
    element('sso-sign-in').hidden = !singleSignOn;
    if (singleSignOn) {
        element('sso-sign-in').href = options.signInUrl;
    }
    const password = !options || options.passwordSignIn !== false;
    element('password-sign-in').hidden = !password;
    element('user').required = password;
    element('sign-in').hidden = false;
    if (password) {
        element('user').focus();
    }
}

async function signOut() {
    clearTimeout(session.timer);
    session.generation++;
    session.authorization = null;
    if (session.access && session.access.signedInWith === 'single-sign-on') {
        await fetch('/console/oidc/logout', { method: 'POST', credentials: 'same-origin', cache: 'no-store' }).catch(() => null);
    }
    // the gateway's refusal names the ways to sign in again (this page may have been opened signed in)
    try {
        await api('GET', '/api/v1/session');
    }
    catch (error) {
        if (error instanceof SignInRequired && error.options) {
            session.signInOptions = error.options;
        }
    }
    showSignIn('Signed out');
}

function text(value) {
    return value === null || value === undefined ? '' : String(value);
}

function cell(row, value, className) {
    const td = row.insertCell();
    td.textContent = text(value);
    if (className) {
        td.className = className;
    }
    return td;
}

// redraws a table's body: a row per item, filled by fill(row, item)
function fillTable(id, items, fill) {
    const table = element(id);
    table.tBodies[0].replaceChildren();
    for (const item of items) {
        fill(table.tBodies[0].insertRow(), item);
    }
    labelCells(table);
}

// each cell carries its column's name, which a phone's layout shows in front of the value
function labelCells(table) {
    const labels = [...table.tHead.rows[0].cells].map(heading => heading.textContent);
    for (const row of table.tBodies[0].rows) {
        [...row.cells].forEach((cell, index) => {
            if (cell.tagName === 'TD') {
                cell.dataset.label = labels[index] || '';
            }
        });
    }
}

function button(label, action, onClick, data) {
    const control = document.createElement('button');
    control.type = 'button';
    control.textContent = label;
    control.dataset.action = action;
    Object.assign(control.dataset, data || {});
    control.addEventListener('click', onClick);
    return control;
}

function link(label, href) {
    const anchor = document.createElement('a');
    anchor.textContent = label;
    anchor.href = href;
    return anchor;
}

function canWrite() {
    return session.access !== null && session.access.canWrite;
}

function time(value) {
    if (value === null || value === undefined || value === '') {
        return '';
    }
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? text(value) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}

function millis(value) {
    if (value === null || value === undefined) {
        return '';
    }
    return value < 10000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}

function bytes(value) {
    if (value === null || value === undefined) {
        return '';
    }
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let amount = value;
    let unit = 0;
    while (amount >= 1024 && unit < units.length - 1) {
        amount /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${amount.toFixed(1)} ${units[unit]} (${value} B)`;
}

// --- views ---

function route() {
    const [path, search] = location.hash.replace(/^#/, '').split('?', 2);
    const hash = decodeURIComponent(path);
    const parameters = new URLSearchParams(search || '');
    const slash = hash.indexOf('/');
    const name = slash < 0 ? hash : hash.substring(0, slash);
    const argument = slash < 0 ? null : hash.substring(slash + 1);
    state.view = VIEWS.includes(name) ? name : 'fleet';
    if (state.view === 'fleet') {
        state.cluster = argument || null;
        state.loadReadAt = 0;
    }
    if (state.view in state.searchHash && state.searchHash[state.view] !== location.hash) {
        SEARCHES[state.view](parameters);
        state.searchHash[state.view] = location.hash;
    }
    if (state.view === 'query' && !argument) {
        location.hash = '#queries';
        return;
    }
    if (state.view === 'query') {
        if (state.queryId !== argument) {
            state.shownQuery = null;
        }
        state.queryId = argument;
    }
    for (const view of VIEWS) {
        element(`view-${view}`).hidden = view !== state.view;
    }
    for (const anchor of document.querySelectorAll('#views a')) {
        const current = anchor.dataset.view === state.view || (state.view === 'query' && anchor.dataset.view === 'queries');
        anchor.classList.toggle('current', current);
        if (anchor.dataset.view === state.view && (state.view === 'queries' || state.view === 'analytics')) {
            // back to this view later, it opens with the same filters
            anchor.href = location.hash || `#${state.view}`;
        }
    }
    session.notice = '';
    refresh();
}

// --- fleet ---

function renderClusters(clusters) {
    state.clusters = clusters;
    const body = element('clusters').tBodies[0];
    body.replaceChildren();
    const sorted = [...clusters].sort((a, b) => a.routingGroup.localeCompare(b.routingGroup) || a.name.localeCompare(b.name));
    let group = null;
    for (const cluster of sorted) {
        if (cluster.routingGroup !== group) {
            group = cluster.routingGroup;
            renderGroupRow(body, group, sorted.filter(member => member.routingGroup === group));
        }
        renderCluster(body, cluster);
    }
    labelCells(element('clusters'));
}

function renderGroupRow(body, group, members) {
    const row = body.insertRow();
    row.className = 'group-row';
    row.dataset.group = group;
    const heading = document.createElement('th');
    heading.colSpan = 10;
    const accepting = members.filter(member => member.acceptingQueries).length;
    heading.append(`Group ${group}: ${members.length} cluster${members.length === 1 ? '' : 's'}, ${accepting} accepting queries `);
    heading.append(button('Rolling restart…', 'rolling-restart', () => openRollout(group), { group }));
    row.appendChild(heading);
}

function renderCluster(body, cluster) {
    const row = body.insertRow();
    row.dataset.cluster = cluster.name;
    const health = cluster.health;
    const coordinator = cluster.coordinator;
    const nameCell = row.insertCell();
    nameCell.appendChild(link(cluster.name, `#fleet/${encodeURIComponent(cluster.name)}`));
    cell(row, cluster.routingGroup);
    cell(row, engineName(cluster.kind));
    const healthCell = cell(row, health.state, `state-${health.state}`);
    if (health.state !== 'HEALTHY' && health.reason) {
        // why a cluster gets no queries, in view rather than on hover
        const reason = document.createElement('div');
        reason.className = 'reason';
        reason.textContent = health.reason;
        healthCell.appendChild(reason);
    }
    cell(row, health.latencyMillis >= 0 ? `${health.latencyMillis} ms` : '');
    cell(row, coordinator ? coordinator.drainState : 'no report', coordinator ? `state-${coordinator.drainState}` : null);
    cell(row, coordinator ? coordinator.runningQueries : '');
    cell(row, coordinator ? coordinator.queuedQueries : '');
    cell(row, newQueries(cluster));
    cell(row, coordinator ? coordinator.activeWorkers : '');
    const actions = row.insertCell();
    if (!canWrite()) {
        return;
    }
    const data = { cluster: cluster.name };
    if (state.confirmDelete === cluster.name) {
        const question = document.createElement('span');
        question.className = 'confirm';
        question.textContent = `Delete ${cluster.name}? `;
        actions.append(question,
                button('Yes, delete', 'confirm-delete', () => deleteCluster(cluster.name), data),
                button('Keep it', 'cancel-delete', () => {
                    state.confirmDelete = null;
                    refresh();
                }, data));
        return;
    }
    if (cluster.desiredState === 'DRAINING' || !cluster.active) {
        actions.appendChild(button('Activate', 'activate', () => changeCluster(cluster.name, 'activate', 'Activate'), data));
    }
    else {
        actions.appendChild(button('Drain', 'drain', () => changeCluster(cluster.name, 'drain', 'Drain'), data));
    }
    actions.appendChild(button('Edit', 'edit', () => openClusterForm(cluster), data));
    const remove = button('Delete', 'delete', () => {
        state.confirmDelete = cluster.name;
        refresh();
    }, data);
    remove.className = 'danger';
    actions.appendChild(remove);
}

function engineName(kind) {
    return kind === 'prestodb' ? 'PrestoDB' : 'Trino';
}

function newQueries(cluster) {
    if (cluster.acceptingQueries) {
        return 'accepted';
    }
    if (cluster.desiredState === 'DRAINING') {
        return 'draining';
    }
    return cluster.active ? 'refused' : 'deactivated';
}

function renderHealthHistory(cluster, transitions) {
    element('cluster-detail').hidden = false;
    element('cluster-detail-title').textContent = `Cluster ${cluster.name}`;
    const coordinator = cluster.coordinator;
    element('cluster-detail-summary').textContent = `${cluster.proxyUrl} (external ${cluster.externalUrl}), group ${cluster.routingGroup}, ${engineName(cluster.kind)}, weight ${cluster.weight}, ` +
        `${cluster.active ? 'active' : 'deactivated'}, desired state ${cluster.desiredState}; health ${cluster.health.state}` +
        (cluster.health.reason ? ` (${cluster.health.reason})` : '') +
        (coordinator ? `; Trino ${text(coordinator.trinoVersion)}, coordinator started ${time(coordinator.coordinatorStartedAt)}, last report ${time(coordinator.heartbeatAt)}` : '; no router plugin report');
    const timeline = element('health-timeline');
    timeline.replaceChildren();
    const oldestFirst = [...transitions].reverse();
    const now = Date.now();
    oldestFirst.forEach((transition, index) => {
        const start = new Date(transition.occurredAt).getTime();
        const end = index + 1 < oldestFirst.length ? new Date(oldestFirst[index + 1].occurredAt).getTime() : now;
        const segment = document.createElement('span');
        segment.className = `bar-${transition.state}`;
        segment.dataset.state = transition.state;
        // CSSOM, not a style attribute: the page's policy allows no inline styles
        segment.style.flexGrow = String(Math.max(end - start, 1));
        segment.title = `${transition.state} from ${time(transition.occurredAt)}${transition.reason ? ': ' + transition.reason : ''}`;
        timeline.appendChild(segment);
    });
    fillTable('health-history', transitions, (row, transition) => {
        cell(row, time(transition.occurredAt));
        cell(row, transition.previousState, transition.previousState ? `state-${transition.previousState}` : null);
        cell(row, transition.state, `state-${transition.state}`);
        cell(row, transition.reason);
        cell(row, transition.gatewayId);
    });
}

function openClusterForm(cluster) {
    state.editing = cluster ? cluster.name : null;
    element('cluster-form-title').textContent = cluster ? `Edit ${cluster.name}` : 'Add a cluster';
    element('cluster-name').value = cluster ? cluster.name : '';
    element('cluster-name').readOnly = Boolean(cluster);
    element('cluster-proxy-url').value = cluster ? cluster.proxyUrl : '';
    element('cluster-external-url').value = cluster && cluster.externalUrl !== cluster.proxyUrl ? cluster.externalUrl : '';
    element('cluster-group').value = cluster ? cluster.routingGroup : '';
    element('cluster-weight').value = cluster ? String(cluster.weight) : '1';
    element('cluster-kind').value = cluster ? cluster.kind : 'trino';
    element('cluster-active').checked = cluster ? cluster.active : true;
    element('cluster-form').hidden = false;
    element('cluster-proxy-url').focus();
}

function closeClusterForm() {
    state.editing = null;
    element('cluster-form').hidden = true;
}

async function saveCluster(event) {
    event.preventDefault();
    const name = element('cluster-name').value.trim();
    const spec = {
        name,
        proxyUrl: element('cluster-proxy-url').value.trim(),
        routingGroup: element('cluster-group').value.trim(),
        active: element('cluster-active').checked,
        weight: Number(element('cluster-weight').value || '1'),
        kind: element('cluster-kind').value,
    };
    const external = element('cluster-external-url').value.trim();
    if (external) {
        spec.externalUrl = external;
    }
    const editing = state.editing;
    const done = await act(editing ? `Saving ${name}` : `Adding ${name}`, () => editing
        ? api('PUT', `/api/v1/clusters/${encodeURIComponent(editing)}`, spec)
        : api('POST', '/api/v1/clusters', spec));
    if (done) {
        closeClusterForm();
    }
    await refresh();
}

async function deleteCluster(name) {
    state.confirmDelete = null;
    if (await act(`Deleting ${name}`, () => api('DELETE', `/api/v1/clusters/${encodeURIComponent(name)}`)) && state.cluster === name) {
        location.hash = '#fleet';
    }
    await refresh();
}

async function changeCluster(name, action, label) {
    await act(`${label} ${name}`, () => api('POST', `/api/v1/clusters/${encodeURIComponent(name)}/${action}`));
    await refresh();
}

// runs an administrative call; a refusal or error is shown with the API's reason
async function act(label, call) {
    try {
        await call();
        session.notice = '';
        return true;
    }
    catch (error) {
        if (error instanceof SignInRequired) {
            showSignIn(error.message);
            return false;
        }
        session.notice = `${label} failed: ${error.message}`;
        return false;
    }
}

// --- rolling restarts ---

function openRollout(group) {
    state.rolloutGroup = group;
    element('rollout').hidden = false;
    element('rollout-title').textContent = `Rolling restart of group ${group}`;
    element('rollout-force').checked = false;
    refresh();
}

async function startRollout(event) {
    event.preventDefault();
    const group = state.rolloutGroup;
    const parameters = new URLSearchParams();
    for (const [field, name] of [['rollout-drain-timeout', 'drainTimeout'], ['rollout-restart-timeout', 'restartTimeout']]) {
        const value = element(field).value.trim();
        if (value) {
            parameters.set(name, value);
        }
    }
    if (element('rollout-force').checked) {
        parameters.set('force', 'true');
    }
    const query = parameters.toString();
    await act(`Rolling restart of ${group}`, () => api('POST', `/api/v1/routing-groups/${encodeURIComponent(group)}/rolling-restart${query ? '?' + query : ''}`));
    await refresh();
}

function renderRollout(group, rollout) {
    const summary = element('rollout-state');
    const body = element('rollout-steps').tBodies[0];
    body.replaceChildren();
    element('rollout-start').disabled = rollout !== null && rollout.state === 'RUNNING';
    if (rollout === null) {
        summary.textContent = `No rolling restart of group ${group} yet.`;
        summary.className = '';
        summary.dataset.state = 'NONE';
        return;
    }
    summary.dataset.state = rollout.state;
    summary.className = `state-${rollout.state}`;
    const parts = [`${rollout.state}`];
    if (rollout.state === 'RUNNING') {
        parts.push(rollout.currentCluster ? `at ${rollout.currentCluster}` : 'waiting');
        parts.push(`for ${rollout.elapsedSeconds} s`);
        parts.push(rollout.runBy ? `run by ${rollout.runBy}` : 'waiting for a replica to resume it');
    }
    else {
        parts.push(`finished ${time(rollout.finishedAt)} after ${rollout.elapsedSeconds} s`);
    }
    if (rollout.reason) {
        parts.push(`— ${rollout.reason}`);
    }
    parts.push(`(started ${time(rollout.startedAt)} by ${rollout.startedBy} from ${rollout.startedFrom}${rollout.force ? ', forced' : ''}; ` +
        `drain timeout ${rollout.drainTimeout}, restart timeout ${rollout.restartTimeout})`);
    summary.textContent = parts.join(' ');
    for (const progress of rollout.clusters) {
        const row = body.insertRow();
        row.dataset.cluster = progress.name;
        cell(row, progress.name);
        cell(row, progress.step, `state-${progress.step}`);
        cell(row, progress.runningQueries);
        cell(row, progress.queuedQueries);
        cell(row, time(progress.coordinatorStartedBefore));
        cell(row, time(progress.coordinatorStartedAfter));
        cell(row, progress.message);
    }
    labelCells(element('rollout-steps'));
}

// --- admission ---

function renderAdmission(queue) {
    element('admission').hidden = !queue.enabled;
    if (!queue.enabled) {
        return;
    }
    const counters = queue.counters;
    element('admission-counters').textContent = `${queue.queued.length} waiting; since start: ${counters.admitted} admitted, ${counters.queued} queued, ` +
        `${counters.rejected} rejected (queue full), ${counters.timedOut} timed out, ${counters.cancelled} cancelled, ${counters.expired} abandoned`;
    fillTable('admission-limits', Object.entries(queue.limits), (row, [property, value]) => {
        cell(row, property);
        cell(row, value);
    });
    const running = element('admission-running').tBodies[0];
    running.replaceChildren();
    for (const [label, counts] of [['group', queue.runningByGroup], ['user', queue.runningByUser], ['source', queue.runningBySource], ['cluster', queue.runningByCluster]]) {
        for (const [name, count] of Object.entries(counts)) {
            const row = running.insertRow();
            cell(row, `${label} ${name}`);
            cell(row, count);
        }
    }
    fillTable('admission-queued', queue.queued, (row, query) => {
        row.dataset.queued = query.id;
        cell(row, query.position);
        cell(row, query.group);
        cell(row, query.user);
        cell(row, query.priority);
        cell(row, query.admissionClass);
        cell(row, `${Math.round(query.waitingMillis / 1000)} s`);
        cell(row, query.blockedBy);
    });
}

// --- query history ---

const QUERY_FILTERS = [['filter-user', 'user'], ['filter-source', 'source'], ['filter-cluster', 'cluster'], ['filter-group', 'routingGroup'],
    ['filter-state', 'state'], ['filter-from', 'from'], ['filter-to', 'to'], ['filter-text', 'text']];

function searchQueries(event) {
    event.preventDefault();
    const parameters = new URLSearchParams();
    for (const [field, parameter] of QUERY_FILTERS) {
        const value = element(field).value.trim();
        if (value) {
            parameters.set(parameter, value);
        }
    }
    const limit = element('filter-limit').value || '50';
    if (limit !== '50') {
        parameters.set('limit', limit);
    }
    state.queryAfter = [];
    search('queries', parameters);
}

// the filters named in the hash, into the form and the next read
function showQueryFilters(parameters) {
    const filters = {};
    for (const [field, parameter] of QUERY_FILTERS) {
        const value = parameters.get(parameter) || '';
        element(field).value = value;
        if (value) {
            filters[parameter] = value;
        }
    }
    const limit = parameters.get('limit') || '50';
    element('filter-limit').value = limit;
    if (JSON.stringify(filters) !== JSON.stringify(state.queryFilters) || limit !== state.queryLimit) {
        state.queryAfter = [];
    }
    state.queryFilters = filters;
    state.queryLimit = limit;
}

// opens a view with the given filters, which go into the hash; the same search again reads again
function search(view, parameters) {
    const hash = parameters.size > 0 ? `#${view}?${parameters}` : `#${view}`;
    SEARCHES[view](parameters);
    state.searchHash[view] = hash;
    if (location.hash === hash) {
        refresh();
    }
    else {
        location.hash = hash;
    }
}

function queriesPath() {
    const parameters = new URLSearchParams(state.queryFilters);
    parameters.set('limit', state.queryLimit);
    if (state.queryAfter.length > 0) {
        parameters.set('after', state.queryAfter[state.queryAfter.length - 1]);
    }
    return `/api/v1/queries?${parameters}`;
}

function renderQueries(page) {
    fillTable('queries', page.queries, (row, query) => {
        row.dataset.query = query.queryId;
        row.insertCell().appendChild(link(query.queryId, `#query/${encodeURIComponent(query.queryId)}`));
        cell(row, query.state, query.state ? `state-${query.state}` : null);
        cell(row, query.user);
        cell(row, query.clusterName);
        cell(row, time(query.createdAt));
        cell(row, query.wallTimeMs === null || query.wallTimeMs === undefined ? '' : `${query.wallTimeMs} ms`);
        cell(row, query.queryTextPreview, 'sql').title = query.queryTextPreview || '';
    });
    state.queryNext = page.next || null;
    element('queries-next').disabled = !state.queryNext;
    element('queries-first').disabled = state.queryAfter.length === 0;
    element('queries-page').textContent = `page ${state.queryAfter.length + 1}, ${page.queries.length} queries` +
        (state.queryAfter.length === 0 ? ', newest first, refreshed every few seconds' : '');
}

function fact(list, key, label, value) {
    if (value === null || value === undefined || value === '') {
        return;
    }
    const term = document.createElement('dt');
    term.textContent = label;
    const description = document.createElement('dd');
    description.dataset.fact = key;
    description.textContent = text(value);
    list.append(term, description);
}

function renderQuery(query) {
    state.shownQuery = query;
    element('query-title').textContent = `Query ${query.queryId}`;
    const facts = element('query-facts');
    facts.replaceChildren();
    const metrics = query.metrics;
    fact(facts, 'state', 'State', query.state);
    fact(facts, 'user', 'User', query.user);
    fact(facts, 'source', 'Source', query.source);
    fact(facts, 'clientTags', 'Client tags', query.clientTags);
    fact(facts, 'catalog', 'Catalog and schema', [query.catalog, query.schema].filter(part => part).join('.'));
    fact(facts, 'cluster', 'Cluster', query.clusterName);
    fact(facts, 'routingGroup', 'Routing group', query.routingGroup);
    fact(facts, 'routingRule', 'Routing rule', query.routingRule);
    fact(facts, 'queuedInGateway', 'Queued in the gateway', millis(query.queuedInGatewayMillis));
    fact(facts, 'resourceGroup', 'Resource group', query.resourceGroup);
    fact(facts, 'gateway', 'Routed by gateway', query.gatewayId);
    fact(facts, 'receivedAt', 'Received by the gateway', time(query.receivedAt));
    fact(facts, 'createdAt', 'Created', time(query.createdAt));
    fact(facts, 'startedAt', 'Started', time(query.startedAt));
    fact(facts, 'endedAt', 'Ended', time(query.endedAt));
    if (metrics) {
        fact(facts, 'queuedTime', 'Queued in Trino', millis(metrics.queuedTimeMs));
        fact(facts, 'wallTime', 'Wall time', millis(metrics.wallTimeMs));
        fact(facts, 'cpuTime', 'CPU time', millis(metrics.cpuTimeMs));
        fact(facts, 'peakMemory', 'Peak memory', bytes(metrics.peakMemoryBytes));
        fact(facts, 'inputRows', 'Rows read', metrics.inputRows);
        fact(facts, 'inputBytes', 'Bytes read', bytes(metrics.inputBytes));
        fact(facts, 'outputRows', 'Rows returned', metrics.outputRows);
        fact(facts, 'outputBytes', 'Bytes returned', bytes(metrics.outputBytes));
        fact(facts, 'writtenBytes', 'Bytes written', bytes(metrics.writtenBytes));
    }
    else {
        fact(facts, 'metrics', 'Metrics', 'reported when the query completes');
    }
    fact(facts, 'updatedAt', 'Last recorded', time(query.updatedAt));
    element('query-sql').textContent = query.queryText || '(no SQL text recorded yet)';
    element('copy-result').textContent = '';
    const error = query.error;
    element('query-error-section').hidden = !error;
    element('query-error').textContent = error ? `${error.name} (${error.type}, code ${error.code})${error.message ? ': ' + error.message : ''}` : '';
    const tables = element('query-tables');
    tables.replaceChildren();
    for (const table of query.tablesRead) {
        const item = document.createElement('li');
        item.textContent = `${table.catalog}.${table.schema}.${table.table}`;
        tables.appendChild(item);
    }
    if (query.tablesRead.length === 0) {
        const item = document.createElement('li');
        item.textContent = 'none recorded';
        tables.appendChild(item);
    }
    // the gateway routes /ui/query.html?<id> to the cluster that ran the query, by its query map
    const ui = element('query-ui');
    ui.replaceChildren();
    if (query.clusterName) {
        const anchor = link(`Open ${query.queryId} in the Trino UI of ${query.clusterName}`, `/ui/query.html?${encodeURIComponent(query.queryId)}`);
        anchor.id = 'query-ui-link';
        anchor.target = '_blank';
        anchor.rel = 'noopener noreferrer';
        ui.append(anchor, ' (through the gateway; the cluster\'s own web UI, which may ask you to sign in to it)');
    }
    else {
        ui.textContent = 'No cluster is recorded for this query, so there is no Trino UI to open.';
    }
}

async function copySql() {
    const sql = element('query-sql');
    const result = element('copy-result');
    try {
        if (!navigator.clipboard) {
            throw new Error('no clipboard access');
        }
        await navigator.clipboard.writeText(sql.textContent);
        result.textContent = 'copied';
    }
    catch (error) {
        // without the Clipboard API (a page not served over https, or a refusal): select it for Ctrl+C
        const range = document.createRange();
        range.selectNodeContents(sql);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        result.textContent = 'selected: press Ctrl+C (⌘C) to copy';
    }
}

// --- routing and audit ---

function renderRules(rules) {
    const groups = Object.entries(rules.groups || {}).map(([group, policy]) => `${group}: ${JSON.stringify(policy)}`);
    element('rules-summary').textContent = `version ${rules.version}, from ${rules.source}, ${rules.rules.length} rule${rules.rules.length === 1 ? '' : 's'}` +
        (groups.length ? `; group policies ${groups.join(', ')}` : '');
    fillTable('rules', rules.rules, (row, rule) => {
        row.dataset.rule = rule.name;
        const counters = (rules.counters || {})[rule.name] || {};
        cell(row, rule.priority);
        cell(row, rule.description ? `${rule.name} — ${rule.description}` : rule.name);
        cell(row, rule.condition, 'sql');
        cell(row, rule.routingGroup);
        cell(row, counters.matches);
        cell(row, counters.errors);
    });
}

function renderVersions(versions) {
    fillTable('rule-versions', versions, (row, version) => {
        cell(row, version.version);
        cell(row, time(version.changedAt));
        cell(row, version.changedBy);
        cell(row, version.changeSummary);
    });
}

async function dryRun(event) {
    event.preventDefault();
    const headers = {};
    for (const line of element('dry-run-headers').value.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) {
            headers[line.substring(0, colon).trim()] = line.substring(colon + 1).trim();
        }
    }
    for (const [field, header] of [['dry-run-user', 'X-Trino-User'], ['dry-run-source', 'X-Trino-Source'], ['dry-run-tags', 'X-Trino-Client-Tags'],
        ['dry-run-group', 'X-Trino-Routing-Group']]) {
        const value = element(field).value.trim();
        if (value) {
            headers[header] = value;
        }
    }
    const request = { headers };
    for (const [field, name] of [['dry-run-sql', 'sql'], ['dry-run-address', 'clientAddress'], ['dry-run-time', 'time']]) {
        const value = element(field).value.trim();
        if (value) {
            request[name] = value;
        }
    }
    let result = null;
    await act('The dry run', async () => {
        result = await api('POST', '/api/v1/routing-rules/evaluate', request);
    });
    element('dry-run-result').hidden = result === null;
    if (result !== null) {
        renderDryRun(result);
    }
    showMessage(session.notice);
}

function renderDryRun(result) {
    const decision = [`Routing group ${result.routingGroup}`];
    if (result.clientGroup) {
        decision.push(`named by the client (${result.clientGroup}): the rules are skipped`);
    }
    else {
        decision.push(result.rule ? `chosen by rule ${result.rule}` : 'the default group: no rule matched');
    }
    if (result.addClientTags && result.addClientTags.length) {
        decision.push(`adds client tags ${result.addClientTags.join(', ')}`);
    }
    const properties = Object.entries(result.setSessionProperties || {}).map(([name, value]) => `${name}=${value}`);
    if (properties.length) {
        decision.push(`sets ${properties.join(', ')}`);
    }
    decision.push(`queue priority ${result.queuePriority}`);
    if (result.admissionClass) {
        decision.push(`admission class ${result.admissionClass}`);
    }
    decision.push(result.groupWithClusters
        ? `would run on ${result.clusters.join(', ')} (group ${result.groupWithClusters}${result.groupsToTry.length > 1 ? ', groups tried in order: ' + result.groupsToTry.join(', ') : ''})`
        : `no cluster would take it now (groups tried: ${result.groupsToTry.join(', ')})`);
    if (result.sqlProblem) {
        decision.push(`SQL not understood: ${result.sqlProblem}`);
    }
    const summary = element('dry-run-decision');
    summary.textContent = decision.join('; ');
    summary.dataset.group = result.routingGroup;
    fillTable('dry-run-rules', result.rules, (row, rule) => {
        row.dataset.rule = rule.rule;
        cell(row, rule.priority);
        cell(row, rule.rule);
        cell(row, rule.outcome, `outcome-${rule.outcome}`);
        cell(row, rule.error);
    });
    fillTable('dry-run-facts', Object.entries(result.facts || {}), (row, [name, value]) => {
        row.dataset.fact = name;
        cell(row, name);
        cell(row, typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
    });
}

function auditPath() {
    const parameters = new URLSearchParams();
    parameters.set('limit', element('audit-limit').value || '100');
    const target = element('audit-target').value.trim();
    if (target) {
        parameters.set('target', target);
    }
    return `/api/v1/audit?${parameters}`;
}

function renderAudit(entries) {
    fillTable('audit', entries, (row, entry) => {
        row.dataset.action = entry.action;
        row.dataset.target = text(entry.target);
        cell(row, time(entry.occurredAt));
        cell(row, entry.actor);
        cell(row, entry.remoteAddress);
        cell(row, entry.action);
        cell(row, entry.target);
        const details = cell(row, entry.details, 'sql details');
        details.title = 'click to show it all';
        details.addEventListener('click', () => details.classList.toggle('expanded'));
    });
}

// --- charts (Chart.js, served from its webjar) and analytics ---

// one color per cluster, group or user, the same in every chart of the page
const PALETTE = ['#1d4ed8', '#d92d20', '#079455', '#dc6803', '#7a5af8', '#0e9384', '#c11574', '#667085', '#4e5ba6', '#a15c07'];
const PERCENTILES = [['p50Millis', 'P50', []], ['p90Millis', 'P90', [6, 4]], ['p99Millis', 'P99', [2, 3]]];
const ANALYTICS_LIMIT = 10;
const charts = new Map();
const seriesColors = new Map();

function seriesColor(name) {
    if (!seriesColors.has(name)) {
        seriesColors.set(name, PALETTE[seriesColors.size % PALETTE.length]);
    }
    return seriesColors.get(name);
}

// draws a chart into the canvas of the given id, or gives the chart already there its new data
function drawChart(id, type, data, options) {
    const existing = charts.get(id);
    if (existing && existing.config.type === type) {
        existing.data = data;
        existing.options = options;
        existing.update('none');
        return;
    }
    if (existing) {
        existing.destroy();
    }
    charts.set(id, new Chart(element(id), { type, data, options }));
}

function chartOptions(scales, tooltip, extra) {
    return {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales,
        plugins: { legend: { labels: { boxWidth: 12 } }, tooltip: tooltip || {} },
        ...extra,
    };
}

// the start of each bucket of an answer's time range, in milliseconds since the epoch
function bucketStarts(answer) {
    const size = answer.bucketSeconds * 1000;
    const to = new Date(answer.to).getTime();
    const starts = [];
    for (let start = Math.floor(new Date(answer.from).getTime() / size) * size; start < to; start += size) {
        starts.push(start);
    }
    return starts;
}

// one line per name, with a point at every bucket: value(point) where the answer has one, else missing
function lines(points, starts, value, missing) {
    const byName = new Map();
    for (const point of points) {
        if (!byName.has(point.name)) {
            byName.set(point.name, new Map());
        }
        byName.get(point.name).set(new Date(point.time).getTime(), point);
    }
    return [...byName.keys()].sort().map(name => ({
        name,
        data: starts.map(start => {
            const point = byName.get(name).get(start);
            return { x: start, y: point ? value(point) : missing };
        }),
    }));
}

// a tick every 10 minutes for an hour, 2 hours for a day, a day for a week, 5 days beyond
const TICKS = [[2 * 3600, 600], [26 * 3600, 7200], [8 * 86400, 86400], [Infinity, 5 * 86400]];

function timeScales(answer, title) {
    const from = new Date(answer.from).getTime();
    const to = new Date(answer.to).getTime();
    const long = to - from > 26 * 3600 * 1000;
    const step = TICKS.find(([upTo]) => to - from <= upTo * 1000)[1] * 1000;
    return {
        x: { type: 'linear', min: from, max: to, ticks: { stepSize: step, maxTicksLimit: 10, callback: value => timeTick(value, long) } },
        y: { beginAtZero: true, title: { display: true, text: title } },
    };
}

function timeTick(value, long) {
    const iso = new Date(value).toISOString();
    return long ? `${iso.substring(5, 10)} ${iso.substring(11, 16)}` : iso.substring(11, 16);
}

const TIME_TOOLTIP = { callbacks: { title: items => (items.length ? time(items[0].parsed.x) : '') } };

// points are drawn small: a bucket alone between empty ones would be invisible as a line
function lineDataset(label, color, data, dash) {
    return { label, data, borderColor: color, backgroundColor: color, borderDash: dash || [], borderWidth: 2, pointRadius: 1.5, spanGaps: false };
}

function drawThroughput(id, answer, by) {
    const minutes = answer.bucketSeconds / 60;
    const series = lines(by === 'group' ? answer.byGroup : answer.byCluster, bucketStarts(answer), point => point.queries / minutes, 0);
    drawChart(id, 'line', { datasets: series.map(line => lineDataset(line.name, seriesColor(line.name), line.data)) },
        chartOptions(timeScales(answer, 'queries per minute'), TIME_TOOLTIP));
}

function drawLatency(id, answer, by, percentiles) {
    const starts = bucketStarts(answer);
    const points = by === 'group' ? answer.byGroup : answer.byCluster;
    const datasets = [];
    for (const [field, label, dash] of percentiles) {
        for (const line of lines(points, starts, point => point[field], null)) {
            datasets.push(lineDataset(`${line.name} ${label}`, seriesColor(line.name), line.data, dash));
        }
    }
    drawChart(id, 'line', { datasets }, chartOptions(timeScales(answer, 'wall time (ms)'), TIME_TOOLTIP));
}

// a horizontal bar per name
function drawBars(id, names, values, title, extra) {
    drawChart(id, 'bar', {
        labels: names,
        datasets: [{ label: title, data: values, backgroundColor: names.map(name => seriesColor(name)) }],
    }, chartOptions({ x: { beginAtZero: true, title: { display: true, text: title }, ...extra } }, {}, { indexAxis: 'y', plugins: { legend: { display: false } } }));
}

function analyticsQuery() {
    const { range, from, to } = state.analytics;
    const parameters = new URLSearchParams();
    if (range === 'custom') {
        if (from) {
            parameters.set('from', from);
        }
        if (to) {
            parameters.set('to', to);
        }
    }
    else {
        parameters.set('range', range);
    }
    return parameters;
}

function analyticsPath(chart, limit) {
    const parameters = analyticsQuery();
    if (limit) {
        parameters.set('limit', String(limit));
    }
    return `/api/v1/analytics/${chart}?${parameters}`;
}

// the range and series named in the hash, into the form and the next read
function showAnalyticsRange(parameters) {
    const custom = parameters.has('from') || parameters.has('to');
    state.analytics = {
        range: custom ? 'custom' : parameters.get('range') || 'hour',
        from: parameters.get('from') || '',
        to: parameters.get('to') || '',
        by: parameters.get('by') === 'group' ? 'group' : 'cluster',
    };
    element('analytics-range').value = state.analytics.range;
    element('analytics-from').value = state.analytics.from;
    element('analytics-to').value = state.analytics.to;
    element('analytics-by').value = state.analytics.by;
    showCustomRange(custom);
}

function showCustomRange(custom) {
    element('analytics-from').closest('label').hidden = !custom;
    element('analytics-to').closest('label').hidden = !custom;
}

function showAnalytics(event) {
    event.preventDefault();
    const parameters = new URLSearchParams();
    const range = element('analytics-range').value;
    if (range === 'custom') {
        for (const [field, name] of [['analytics-from', 'from'], ['analytics-to', 'to']]) {
            const value = element(field).value.trim();
            if (value) {
                parameters.set(name, value);
            }
        }
    }
    else {
        parameters.set('range', range);
    }
    if (element('analytics-by').value === 'group') {
        parameters.set('by', 'group');
    }
    search('analytics', parameters);
}

function renderThroughput(answer) {
    drawThroughput('chart-throughput', answer, state.analytics.by);
    const minutes = answer.bucketSeconds / 60;
    const bucket = minutes < 60 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
    element('analytics-summary').textContent = `From ${time(answer.from)} to ${time(answer.to)}, in buckets of ${bucket}; ` +
        `${answer.byCluster.reduce((sum, point) => sum + point.queries, 0)} queries received`;
    element('throughput-caption').textContent = minutes === 1 ? 'Queries per minute' : `Queries per minute, averaged over ${bucket}`;
}

function renderSuccess(answer) {
    drawBars('chart-success', answer.byCluster.map(rate => rate.name), answer.byCluster.map(rate => rate.successPercent), 'success %', { max: 100 });
    fillTable('user-success', answer.byUser, (row, rate) => {
        row.dataset.user = rate.name;
        cell(row, rate.name);
        cell(row, `${rate.successPercent} %`);
        cell(row, rate.finished);
        cell(row, rate.failed);
        cell(row, rate.lost);
    });
}

function renderTopUsers(answer) {
    drawBars('chart-users-cpu', answer.byCpu.map(usage => usage.user), answer.byCpu.map(usage => usage.cpuMillis / 1000), 'CPU time (s)');
    drawBars('chart-users-bytes', answer.byBytes.map(usage => usage.user), answer.byBytes.map(usage => usage.inputBytes / 1e6), 'bytes read (MB)');
}

function renderSlowTables(answer) {
    const name = table => `${table.catalog}.${table.schema}.${table.table}`;
    drawBars('chart-slow-tables', answer.tables.map(name), answer.tables.map(table => table.averageWallMillis), 'average wall time (ms)');
    fillTable('slow-tables', answer.tables, (row, table) => {
        row.dataset.table = name(table);
        cell(row, name(table));
        cell(row, table.queries);
        cell(row, millis(table.averageWallMillis));
        cell(row, millis(table.maxWallMillis));
    });
}

function renderLost(answer) {
    fillTable('lost-queries', answer.restarts, (row, restart) => {
        row.dataset.cluster = restart.cluster;
        cell(row, restart.cluster);
        cell(row, time(restart.restartedAt));
        cell(row, restart.queries);
        cell(row, restart.users);
        cell(row, `${time(restart.firstCreatedAt)} – ${time(restart.lastCreatedAt)}`);
    });
    if (answer.restarts.length === 0) {
        cell(element('lost-queries').tBodies[0].insertRow(), 'No query was lost by a restart in this range.').colSpan = 5;
    }
}

// what reads a view's filters from the hash into its form and the next read
const SEARCHES = { queries: showQueryFilters, analytics: showAnalyticsRange };

function analyticsReads() {
    return [
        ['the queries received', api('GET', analyticsPath('throughput')), renderThroughput],
        ['the wall times', api('GET', analyticsPath('latency')), answer => drawLatency('chart-latency', answer, state.analytics.by, PERCENTILES)],
        ['the success rates', api('GET', analyticsPath('success', 2 * ANALYTICS_LIMIT)), renderSuccess],
        ['the heaviest users', api('GET', analyticsPath('top-users', ANALYTICS_LIMIT)), renderTopUsers],
        ['the slowest tables', api('GET', analyticsPath('slow-tables', ANALYTICS_LIMIT)), renderSlowTables],
        ['the LOST queries', api('GET', analyticsPath('lost')), renderLost],
    ];
}

// the fleet's charts of the last hour, read every LOAD_REFRESH_MILLIS; they need MySQL, the fleet does not:
// a chart that cannot be read says so in its caption, and the rest of the view shows as usual
function fleetLoadReads() {
    if (Date.now() - state.loadReadAt < LOAD_REFRESH_MILLIS) {
        return [];
    }
    state.loadReadAt = Date.now();
    const settled = promise => promise.then(answer => ({ answer }), error => ({ error }));
    return [
        ['the load of the last hour', settled(api('GET', '/api/v1/analytics/throughput?range=hour')),
            result => drawOrExplain('chart-fleet-load', result, answer => drawThroughput('chart-fleet-load', answer, 'cluster'))],
        ['the wall times of the last hour', settled(api('GET', '/api/v1/analytics/latency?range=hour')),
            result => drawOrExplain('chart-fleet-latency', result, answer => drawLatency('chart-fleet-latency', answer, 'cluster', [PERCENTILES[1]]))],
    ];
}

function drawOrExplain(id, result, draw) {
    const caption = element(id).closest('figure').querySelector('figcaption');
    caption.dataset.caption = caption.dataset.caption || caption.textContent;
    caption.classList.toggle('unavailable', Boolean(result.error));
    caption.textContent = result.error ? `${caption.dataset.caption}: cannot read it (${result.error.message})` : caption.dataset.caption;
    if (!result.error) {
        draw(result.answer);
    }
}

// --- refresh ---

// what each view reads; every read shows on its own, so that the clusters stay visible while MySQL is down
function reads() {
    switch (state.view) {
        case 'fleet': {
            const list = [
                ['the clusters', api('GET', '/api/v1/clusters'), renderClusters],
                ['the admission queue', api('GET', '/api/v1/queue'), renderAdmission],
            ];
            if (state.cluster) {
                const name = state.cluster;
                list.push(['the health history', Promise.all([api('GET', `/api/v1/clusters/${encodeURIComponent(name)}`), api('GET', `/api/v1/clusters/${encodeURIComponent(name)}/health-history?limit=100`)]),
                    ([cluster, history]) => renderHealthHistory(cluster, history)]);
            }
            if (state.rolloutGroup) {
                const group = state.rolloutGroup;
                list.push(['the rolling restart', api('GET', `/api/v1/routing-groups/${encodeURIComponent(group)}/rolling-restart`)
                    .catch(error => {
                        if (error.status === 404) {
                            return null;
                        }
                        throw error;
                    }), rollout => renderRollout(group, rollout)]);
            }
            return [...list, ...fleetLoadReads()];
        }
        case 'queries':
            return [['the query history', api('GET', queriesPath()), renderQueries]];
        case 'query':
            if (state.shownQuery && state.shownQuery.queryId === state.queryId && FINAL_QUERY_STATES.has(state.shownQuery.state) && state.shownQuery.metrics) {
                return [];
            }
            return [['the query', api('GET', `/api/v1/queries/${encodeURIComponent(state.queryId)}`), renderQuery]];
        case 'routing':
            return [['the routing rules', api('GET', '/api/v1/routing-rules'), renderRules],
                ['the rule versions', api('GET', '/api/v1/routing-rules/versions?limit=50'), renderVersions]];
        case 'audit':
            return [['the audit log', api('GET', auditPath()), renderAudit]];
        case 'analytics':
            return analyticsReads();
        default:
            return [];
    }
}

async function refresh() {
    clearTimeout(session.timer);
    const generation = ++session.generation;
    const view = state.view;
    const list = reads();
    const results = await Promise.allSettled([api('GET', '/api/v1/session'), ...list.map(([, promise]) => promise)]);
    if (generation !== session.generation) {
        return;
    }
    const signIn = results.find(result => result.status === 'rejected' && result.reason instanceof SignInRequired);
    if (signIn) {
        if (signIn.reason.options) {
            session.signInOptions = signIn.reason.options;
        }
        showSignIn(signIn.reason.message);
        return;
    }
    const problems = [];
    const [access, ...answers] = results;
    if (access.status === 'fulfilled') {
        session.access = access.value;
        if (session.access.signedInWith === 'single-sign-on') {
            element('signed-in').textContent = `signed in as ${session.access.user}`;
            element('sign-out').hidden = false;
        }
    }
    else {
        problems.push(`Cannot read who you are: ${access.reason.message}`);
    }
    renderAccess();
    answers.forEach((result, index) => {
        const [what, , render] = list[index];
        if (result.status === 'fulfilled') {
            render(result.value);
        }
        else {
            problems.push(`Cannot read ${what}: ${result.reason.message}`);
        }
    });
    showMessage([session.notice, ...problems].filter(message => message).join(' — '));
    element('sign-in').hidden = true;
    element('content').hidden = false;
    element('views').hidden = false;
    element('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    // an older page of the history and the audit log stay as they are until asked again (Older, Show)
    // the analytics of a range ending now are read again every LOAD_REFRESH_MILLIS
    const frozen = (view === 'queries' && state.queryAfter.length > 0) || view === 'audit' || (view === 'analytics' && state.analytics.range === 'custom');
    if (!frozen) {
        session.timer = setTimeout(refresh, view === 'analytics' ? LOAD_REFRESH_MILLIS : REFRESH_MILLIS);
    }
}

function renderAccess() {
    const writable = canWrite();
    for (const control of document.querySelectorAll('.admin-only')) {
        control.hidden = !writable;
    }
    if (!writable) {
        closeClusterForm();
    }
    const refused = element('dry-run-refused');
    refused.hidden = writable || session.access === null;
    refused.textContent = session.access && session.access.writeRefusal ? `A dry run is an administrative call. ${session.access.writeRefusal}` : '';
    const note = element('read-only');
    note.hidden = writable || session.access === null;
    note.textContent = session.access && session.access.writeRefusal ? `Read only: ${session.access.writeRefusal}` : '';
    if (!state.cluster) {
        element('cluster-detail').hidden = true;
    }
}

function basicCredentials(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

function signIn(event) {
    event.preventDefault();
    const user = element('user').value;
    session.authorization = basicCredentials(user, element('password').value);
    session.notice = '';
    element('password').value = '';
    element('signed-in').textContent = `signed in as ${user}`;
    element('sign-out').hidden = false;
    showMessage('');
    refresh();
}

document.addEventListener('DOMContentLoaded', () => {
    element('sign-in').addEventListener('submit', signIn);
    element('sign-out').addEventListener('click', signOut);
    element('add-cluster-open').addEventListener('click', () => openClusterForm(null));
    element('cluster-form').addEventListener('submit', saveCluster);
    element('cluster-cancel').addEventListener('click', closeClusterForm);
    element('rollout-form').addEventListener('submit', startRollout);
    element('rollout-close').addEventListener('click', () => {
        state.rolloutGroup = null;
        element('rollout').hidden = true;
    });
    element('query-filters').addEventListener('submit', searchQueries);
    element('query-reset').addEventListener('click', () => search('queries', new URLSearchParams()));
    element('queries-next').addEventListener('click', () => {
        if (state.queryNext) {
            state.queryAfter.push(state.queryNext);
            refresh();
        }
    });
    element('queries-first').addEventListener('click', () => {
        state.queryAfter = [];
        refresh();
    });
    element('copy-sql').addEventListener('click', copySql);
    element('dry-run').addEventListener('submit', dryRun);
    element('analytics-filters').addEventListener('submit', showAnalytics);
    element('analytics-range').addEventListener('change', () => showCustomRange(element('analytics-range').value === 'custom'));
    element('audit-filters').addEventListener('submit', event => {
        event.preventDefault();
        refresh();
    });
    window.addEventListener('hashchange', route);
    route();
});

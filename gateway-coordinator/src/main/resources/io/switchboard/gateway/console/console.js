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

const REFRESH_MILLIS = 3000;

// generation: a refresh whose answer arrives after a newer refresh or a sign-out shows nothing
// notice: the outcome of the last button, shown until the next button or sign-in
const session = { authorization: null, timer: null, generation: 0, notice: '' };

class SignInRequired extends Error {}

function element(id) {
    return document.getElementById(id);
}

async function api(method, path) {
    // tells the gateway not to ask for the browser's own password dialog
    const headers = { 'X-Requested-With': 'switchboard-console' };
    if (method !== 'GET') {
        // the API takes administrative writes only with a JSON content type (the body may be empty)
        headers['Content-Type'] = 'application/json';
    }
    if (session.authorization) {
        headers.Authorization = session.authorization;
    }
    const response = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store' });
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401) {
        throw new SignInRequired(errorText(body, response));
    }
    if (!response.ok) {
        throw new Error(errorText(body, response));
    }
    return body;
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
    element('content').hidden = true;
    element('sign-out').hidden = true;
    element('signed-in').textContent = '';
    element('sign-in-reason').textContent = reason;
    element('sign-in').hidden = false;
    element('user').focus();
}

function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) {
        td.className = className;
    }
    return td;
}

function actionButton(td, label, cluster, action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.dataset.cluster = cluster;
    button.dataset.action = action;
    button.addEventListener('click', () => changeCluster(cluster, action, label));
    td.appendChild(button);
}

function renderClusters(clusters) {
    const body = element('clusters').tBodies[0];
    body.replaceChildren();
    for (const cluster of clusters) {
        const row = body.insertRow();
        row.dataset.cluster = cluster.name;
        const health = cluster.health;
        const coordinator = cluster.coordinator;
        cell(row, cluster.name);
        cell(row, cluster.routingGroup);
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
        const actions = cell(row, '');
        if (cluster.desiredState === 'DRAINING' || !cluster.active) {
            actionButton(actions, 'Activate', cluster.name, 'activate');
        }
        else {
            actionButton(actions, 'Drain', cluster.name, 'drain');
        }
    }
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

function renderQueries(page) {
    const body = element('queries').tBodies[0];
    body.replaceChildren();
    for (const query of page.queries) {
        const row = body.insertRow();
        row.dataset.query = query.queryId;
        cell(row, query.queryId);
        cell(row, query.state, query.state ? `state-${query.state}` : null);
        cell(row, query.user);
        cell(row, query.clusterName);
        cell(row, query.createdAt);
        cell(row, query.wallTimeMs === null || query.wallTimeMs === undefined ? '' : `${query.wallTimeMs} ms`);
        cell(row, query.queryTextPreview, 'sql').title = query.queryTextPreview || '';
    }
}

function renderAdmission(queue) {
    element('admission').hidden = !queue.enabled;
    if (!queue.enabled) {
        return;
    }
    const counters = queue.counters;
    element('admission-counters').textContent = `${queue.queued.length} waiting; since start: ${counters.admitted} admitted, ${counters.queued} queued, ` +
        `${counters.rejected} rejected (queue full), ${counters.timedOut} timed out, ${counters.cancelled} cancelled, ${counters.expired} abandoned`;
    const limits = element('admission-limits').tBodies[0];
    limits.replaceChildren();
    for (const [property, value] of Object.entries(queue.limits)) {
        const row = limits.insertRow();
        cell(row, property);
        cell(row, value);
    }
    const running = element('admission-running').tBodies[0];
    running.replaceChildren();
    for (const [label, counts] of [['group', queue.runningByGroup], ['user', queue.runningByUser], ['source', queue.runningBySource], ['cluster', queue.runningByCluster]]) {
        for (const [name, count] of Object.entries(counts)) {
            const row = running.insertRow();
            cell(row, `${label} ${name}`);
            cell(row, count);
        }
    }
    const queued = element('admission-queued').tBodies[0];
    queued.replaceChildren();
    for (const query of queue.queued) {
        const row = queued.insertRow();
        row.dataset.queued = query.id;
        cell(row, query.position);
        cell(row, query.group);
        cell(row, query.user);
        cell(row, query.priority);
        cell(row, query.admissionClass);
        cell(row, `${Math.round(query.waitingMillis / 1000)} s`);
        cell(row, query.blockedBy);
    }
}

// the clusters come from the gateway's memory and the queries from MySQL: each shows on its own,
// so that the clusters stay visible while MySQL is down
async function refresh() {
    clearTimeout(session.timer);
    const generation = ++session.generation;
    const results = await Promise.allSettled([api('GET', '/api/v1/clusters'), api('GET', '/api/v1/queries?limit=20'), api('GET', '/api/v1/queue')]);
    if (generation !== session.generation) {
        return;
    }
    const signIn = results.find(result => result.status === 'rejected' && result.reason instanceof SignInRequired);
    if (signIn) {
        showSignIn(signIn.reason.message);
        return;
    }
    const [clusters, queries, queue] = results;
    const problems = [];
    if (clusters.status === 'fulfilled') {
        renderClusters(clusters.value);
    }
    else {
        problems.push(`Cannot read the clusters: ${clusters.reason.message}`);
    }
    if (queries.status === 'fulfilled') {
        renderQueries(queries.value);
    }
    else {
        problems.push(`Cannot read the latest queries: ${queries.reason.message}`);
    }
    if (queue.status === 'fulfilled') {
        renderAdmission(queue.value);
    }
    else {
        problems.push(`Cannot read the admission queue: ${queue.reason.message}`);
    }
    showMessage([session.notice, ...problems].filter(text => text).join(' — '));
    element('sign-in').hidden = true;
    element('content').hidden = false;
    element('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    session.timer = setTimeout(refresh, REFRESH_MILLIS);
}

async function changeCluster(name, action, label) {
    try {
        await api('POST', `/api/v1/clusters/${encodeURIComponent(name)}/${action}`);
        session.notice = '';
    }
    catch (error) {
        if (error instanceof SignInRequired) {
            showSignIn(error.message);
            return;
        }
        session.notice = `${label} ${name} failed: ${error.message}`;
    }
    await refresh();
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
    element('sign-out').addEventListener('click', () => showSignIn('Signed out'));
    refresh();
});

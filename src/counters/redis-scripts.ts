/**
 * Lua run inside Redis. On a cluster each call touches one subject's keys only, all carrying
 * the subject's hash tag, so it stays in one slot; on one server, reads take a whole page of
 * subjects and a view also flags the dirty set, in one call.
 *
 * A subject hash holds `p:<day>` (views not yet handed to a flush), `b:<seq>:<day>`
 * (views handed to flush batch <seq>) and `gen` (the last batch number). Batch numbers
 * increase per subject: max(gen + 1, now in ms), so they keep increasing across a Redis
 * restart that lost `gen`.
 */

/**
 * Lua: `unflushed(hash, flushedSeq)`, the views in a subject hash that a row which has
 * applied batches up to `flushedSeq` does not hold yet: every `p:<day>` and every
 * `b:<seq>:<day>` with seq above it. Batch numbers are milliseconds, exact in Lua's doubles.
 */
const UNFLUSHED_FUNCTION = `
local function unflushed(hash, flushedSeq)
  local fields = redis.call('HGETALL', hash)
  local seen = tonumber(flushedSeq)
  local views = 0
  for i = 1, #fields, 2 do
    local prefix = string.sub(fields[i], 1, 2)
    if prefix == 'p:' then
      views = views + tonumber(fields[i + 1])
    elseif prefix == 'b:' and tonumber(string.match(fields[i], '^b:(%d+):')) > seen then
      views = views + tonumber(fields[i + 1])
    end
  end
  return views
end`;

/**
 * KEYS: subject hashes. ARGV: the flushed seq of each one's row, in the same order.
 * Returns the unflushed views of each: one call reads a whole page of counters.
 */
export const UNFLUSHED_VIEWS = `${UNFLUSHED_FUNCTION}
local result = {}
for i = 1, #KEYS do result[i] = unflushed(KEYS[i], ARGV[i]) end
return result`;

/**
 * Lua: `record(hash, seen, dedupSeconds, day, flushedSeq)` counts a view unless `seen` (the
 * viewer's dedup key, or nil) says the viewer was seen, and returns {counted 0/1, the
 * unflushed views of the subject}.
 */
const RECORD_FUNCTION = `
local function record(hash, seen, dedupSeconds, day, flushedSeq)
  local counted = 1
  if seen and not redis.call('SET', seen, '1', 'NX', 'EX', dedupSeconds) then
    counted = 0
  end
  if counted == 1 then redis.call('HINCRBY', hash, 'p:' .. day, 1) end
  return { counted, unflushed(hash, flushedSeq) }
end`;

/**
 * One view on a cluster. KEYS: subject hash[, dedup key]. ARGV: day, dedup seconds, the
 * row's flushed seq. The caller flags the subject dirty after a counted view (another slot).
 */
export const RECORD_VIEW = `${UNFLUSHED_FUNCTION}${RECORD_FUNCTION}
return record(KEYS[1], KEYS[2], ARGV[2], ARGV[1], ARGV[3])`;

/**
 * The views of one turn on one server, in one call. KEYS: per view its subject hash and,
 * when deduplicated, the viewer's dedup key; then the dirty set. ARGV: dedup seconds, the
 * change-event channel ('' for none), then per view: day, the row's flushed seq, the
 * subject key (`Talk:7`: the dirty-set member), '1' when it has a dedup key, '1' when it is
 * to be announced. A counted view flags its subject dirty in the same step (after the
 * increment, so a flusher clearing the flag re-sees it). The subjects to announce go out
 * as one message (see RedisCounterEvents), after the increments, so a listener that reads
 * on hearing it sees them. Returns {counted, unflushed} per view.
 */
export const RECORD_VIEWS = `${UNFLUSHED_FUNCTION}${RECORD_FUNCTION}
local dirty = KEYS[#KEYS]
local result = {}
local announced, message = {}, {}
local k = 1
for i = 3, #ARGV, 5 do
  local hash, seen = KEYS[k], nil
  k = k + 1
  if ARGV[i + 3] == '1' then
    seen = KEYS[k]
    k = k + 1
  end
  local reply = record(hash, seen, ARGV[1], ARGV[i], ARGV[i + 1])
  if reply[1] == 1 then redis.call('SADD', dirty, ARGV[i + 2]) end
  if ARGV[i + 4] == '1' and not announced[ARGV[i + 2]] then
    announced[ARGV[i + 2]] = true
    message[#message + 1] = ARGV[i + 2]
  end
  result[#result + 1] = reply
end
if #message > 0 then redis.call('PUBLISH', ARGV[2], table.concat(message, ' ')) end
return result`;

/**
 * Lua: `hand_over(hash, now)` moves every `p:<day>` into `b:<seq>:<day>` under a new batch
 * number, atomically, and returns the whole hash so the flusher also sees batches a crashed
 * flusher left behind.
 */
const HAND_OVER_FUNCTION = `
local function hand_over(hash, now)
  local fields = redis.call('HGETALL', hash)
  local pending = {}
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 'p:' then
      pending[#pending + 1] = { string.sub(fields[i], 3), fields[i + 1] }
    end
  end
  if #pending > 0 then
    local seq = math.max(tonumber(redis.call('HGET', hash, 'gen') or '0') + 1, tonumber(now))
    redis.call('HSET', hash, 'gen', string.format('%d', seq))
    for _, p in ipairs(pending) do
      redis.call('HINCRBY', hash, 'b:' .. string.format('%d', seq) .. ':' .. p[1], p[2])
      redis.call('HDEL', hash, 'p:' .. p[1])
    end
    fields = redis.call('HGETALL', hash)
  end
  return fields
end`;

/** KEYS: subject hashes. ARGV: now (ms). hand_over of each: one call per flush round. */
export const HAND_OVER = `${HAND_OVER_FUNCTION}
local result = {}
for i = 1, #KEYS do result[i] = hand_over(KEYS[i], ARGV[1]) end
return result`;

/**
 * Lua: `clean_up(hash, applied, cutoff, now, grace)` runs after the database applied every
 * batch up to `applied`. Such batches go once handed over before the cutoff (until then a
 * reader holding a row read just before the commit still adds them); while batches remain,
 * `a` records what is known applied, so the round that drops them needs no database.
 * Deletes the hash when nothing is left. Returns {batches left, pending views left, when the
 * subject is next due in the handed set}: when its oldest batch can go, a batch not known
 * applied (another flusher handed it over) counting as handed over now.
 */
const CLEAN_UP_FUNCTION = `
local function clean_up(hash, applied, cutoff, now, grace)
  local known = math.max(tonumber(applied), tonumber(redis.call('HGET', hash, 'a') or '0'))
  local limit = tonumber(cutoff)
  local left, pending, oldest = 0, 0, 0
  for _, field in ipairs(redis.call('HKEYS', hash)) do
    local prefix = string.sub(field, 1, 2)
    if prefix == 'b:' then
      local seq = tonumber(string.match(field, '^b:(%d+):'))
      if seq <= known and seq < limit then
        redis.call('HDEL', hash, field)
      else
        left = left + 1
        if seq > known then seq = tonumber(now) end
        if oldest == 0 or seq < oldest then oldest = seq end
      end
    elseif prefix == 'p:' then
      pending = pending + 1
    end
  end
  if left + pending == 0 then
    redis.call('DEL', hash)
  elseif left > 0 and known > 0 then
    redis.call('HSET', hash, 'a', string.format('%d', known))
  end
  return { left, pending, oldest + tonumber(grace) + 1 }
end`;

/** KEYS: subject hash. ARGV: applied seq, cutoff, now, grace (ms). clean_up of one subject (cluster). */
export const CLEAN_UP = `${CLEAN_UP_FUNCTION}
return clean_up(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])`;

/**
 * KEYS: subject hashes, then the dirty set and the handed set. ARGV: now and the grace (ms),
 * then per subject its applied seq, cutoff and member. clean_up of each; in the same step a
 * subject without pending views leaves the dirty set (a view, one script that increments
 * and flags, cannot fall in between), and one still holding batches is filed in the handed
 * set by when it is due.
 */
export const CLEAN_UP_AND_UNFLAG = `${CLEAN_UP_FUNCTION}
local n = #KEYS - 2
local dirty, handed = KEYS[n + 1], KEYS[n + 2]
for i = 1, n do
  local base = 2 + (i - 1) * 3
  local member = ARGV[base + 3]
  local r = clean_up(KEYS[i], ARGV[base + 1], ARGV[base + 2], ARGV[1], ARGV[2])
  if r[2] == 0 then redis.call('SREM', dirty, member) end
  if r[1] == 0 then
    redis.call('ZREM', handed, member)
  else
    redis.call('ZADD', handed, string.format('%d', r[3]), member)
  end
end
return 0`;

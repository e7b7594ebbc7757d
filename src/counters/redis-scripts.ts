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
 * KEYS: subject hash[, dedup key][, dirty set]. ARGV: day, dedup seconds, the row's flushed
 * seq, the dirty-set member, '1' when KEYS holds the dedup key, '1' when it ends with the
 * dirty set. Counts the view unless the dedup key says the viewer was seen, flags the
 * subject dirty (after the increment, so a flusher clearing the flag re-sees it) when the
 * dirty set is in the same slot (one server), and returns {counted 0/1, unflushed views}.
 */
export const RECORD_VIEW = `${UNFLUSHED_FUNCTION}
local counted = 1
if ARGV[5] == '1' and not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  counted = 0
end
if counted == 1 then
  redis.call('HINCRBY', KEYS[1], 'p:' .. ARGV[1], 1)
  if ARGV[6] == '1' then redis.call('SADD', KEYS[#KEYS], ARGV[4]) end
end
return { counted, unflushed(KEYS[1], ARGV[3]) }`;

/**
 * KEYS: subject hash. ARGV: now (ms). Moves every `p:<day>` into `b:<seq>:<day>` under a
 * new batch number, atomically, and returns the whole hash so the flusher also sees
 * batches a crashed flusher left behind.
 */
export const HAND_OVER = `
local fields = redis.call('HGETALL', KEYS[1])
local pending = {}
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 2) == 'p:' then
    pending[#pending + 1] = { string.sub(fields[i], 3), fields[i + 1] }
  end
end
if #pending > 0 then
  local seq = math.max(tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') + 1, tonumber(ARGV[1]))
  redis.call('HSET', KEYS[1], 'gen', string.format('%d', seq))
  for _, p in ipairs(pending) do
    redis.call('HINCRBY', KEYS[1], 'b:' .. string.format('%d', seq) .. ':' .. p[1], p[2])
    redis.call('HDEL', KEYS[1], 'p:' .. p[1])
  end
  fields = redis.call('HGETALL', KEYS[1])
end
return fields`;

/**
 * KEYS: subject hash. ARGV: applied seq, cutoff (ms). Deletes batches the database has
 * applied once they were handed over before the cutoff: until then a reader holding a
 * row read just before the commit still adds them. Deletes the hash when nothing is left and
 * returns how many fields remain.
 */
export const CLEAN_UP = `
local remaining = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local prefix = string.sub(field, 1, 2)
  if prefix == 'b:' then
    local seq = tonumber(string.match(field, '^b:(%d+):'))
    if seq <= tonumber(ARGV[1]) and seq < tonumber(ARGV[2]) then
      redis.call('HDEL', KEYS[1], field)
    else
      remaining = remaining + 1
    end
  elseif prefix == 'p:' then
    remaining = remaining + 1
  end
end
if remaining == 0 then redis.call('DEL', KEYS[1]) end
return remaining`;

/**
 * Lua run inside Redis. Each script touches one subject's keys only, all carrying the
 * subject's hash tag, so every script stays in one cluster slot.
 *
 * A subject hash holds `p:<day>` (views not yet handed to a flush), `b:<seq>:<day>`
 * (views handed to flush batch <seq>) and `gen` (the last batch number). Batch numbers
 * increase per subject: max(gen + 1, now in ms), so they keep increasing across a Redis
 * restart that lost `gen`.
 */

/** KEYS: subject hash[, dedup key]. ARGV: day, dedup seconds. Returns 1 when counted. */
export const RECORD_VIEW = `
if KEYS[2] then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 0 end
end
redis.call('HINCRBY', KEYS[1], 'p:' .. ARGV[1], 1)
return 1`;

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

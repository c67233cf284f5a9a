import { WRITTEN_AT_FIELD } from './key-layout.js';

/** The name the write script is registered under with ioredis `defineCommand` (versioned with its source). */
export const WRITE_COMMAND = 'granaryWriteV1';

/** Most features one script call carries (Lua's `unpack` limit is about 8,000 values). */
export const MAX_FEATURES_PER_CALL = 1000;

/**
 * Per-feature last-writer-wins for one row, atomic because Redis runs a script alone.
 *
 * KEYS[1] the row's hash; ARGV[1] writtenAt (decimal ms); ARGV[2] the view's retention in ms; then pairs of
 * (field id, cell). A cell is the 8-byte ordered event time followed by the encoded value, so comparing two
 * cells as unsigned byte strings is Granary's write rule. The comparison is written byte by byte with
 * `string.byte` (0 to 255) rather than Lua's `<`, which uses the server's locale collation (strcoll).
 * When at least one field changed: writes the winners and writtenAt, and raises the key's TTL to the
 * retention when it is below it (never shortens it). Returns the number of features that changed.
 */
export const WRITE_SCRIPT = `
local function greater(a, b)
  if a == b then return false end
  local la, lb = #a, #b
  local n = la
  if lb < n then n = lb end
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return la > lb
end

local key = KEYS[1]
local count = (#ARGV - 2) / 2
local fields = {}
for i = 1, count do fields[i] = ARGV[1 + 2 * i] end
local stored = redis.call('HMGET', key, unpack(fields))
local changes = {}
for i = 1, count do
  local incoming = ARGV[2 + 2 * i]
  local current = stored[i]
  if not current or greater(incoming, current) then
    changes[#changes + 1] = fields[i]
    changes[#changes + 1] = incoming
  end
end
if #changes == 0 then return 0 end
local changed = #changes / 2
changes[#changes + 1] = '${WRITTEN_AT_FIELD}'
changes[#changes + 1] = ARGV[1]
redis.call('HSET', key, unpack(changes))
local retention = tonumber(ARGV[2])
if redis.call('PTTL', key) < retention then redis.call('PEXPIRE', key, retention) end
return changed
`;

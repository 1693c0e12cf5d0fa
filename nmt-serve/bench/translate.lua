-- wrk script for nmt serve: each request is POST /translate with one sentence, {"text": "..."} (plus "beam" when
-- the BEAM environment variable is set), taken in turn from the file named by the SENTENCES environment variable.

local bodies = {}
local next_body = 0

local function json_string(s)
  s = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == '\\' then return '\\\\' end
    return string.format('\\u%04x', c:byte())
  end)
  return '"' .. s .. '"'
end

function init(args)
  local beam = os.getenv("BEAM")
  for line in io.lines(os.getenv("SENTENCES")) do
    local body = '{"text": ' .. json_string(line)
    if beam and beam ~= "" then
      body = body .. ', "beam": ' .. beam
    end
    bodies[#bodies + 1] = body .. '}'
  end
  -- Threads start at different sentences.
  next_body = math.random(#bodies) - 1
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/translate", { ["Content-Type"] = "application/json" }, bodies[next_body])
end

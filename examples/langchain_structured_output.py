"""LangChain: structured output, a pydantic object from free text, alone and with the raw message.

``with_structured_output`` picks the best method the model serves (``json_schema``, else
``function_calling``, else ``json_mode``; see ``ModelInfo.structured_output_methods``);
``method=`` chooses one.
"""

from __future__ import annotations

from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field

from langchain_modelverse import ChatModelverse

TEXT = 'The city of "Shanghai", in "China", is home to 24.9 million people.'


class City(BaseModel):
    """A city, the country it is in and its population."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country the city is in")
    population_millions: float = Field(description="The population, in millions")


def main() -> None:
    model = ChatModelverse(model="deepseek-ai/DeepSeek-V3-0324", temperature=0)

    # A chain that returns the object itself.
    prompt = ChatPromptTemplate.from_messages([("system", "Extract the city from the text."), ("user", "{text}")])
    city = (prompt | model.with_structured_output(City)).invoke({"text": TEXT})
    print(f"City:      {city.name}, {city.country}, {city.population_millions} million")

    # include_raw=True: the parsed object, the model's own message (usage, tool call) and any parsing error.
    result = model.with_structured_output(City, include_raw=True).invoke(TEXT)
    raw, usage = result["raw"], result["raw"].usage_metadata
    print(f"Parsed:    {result['parsed']!r}")
    print(f"Tool call: {raw.tool_calls[0]['name']}({raw.tool_calls[0]['args']})")
    print(f"Error:     {result['parsing_error']}")
    print(f"Tokens:    {usage['input_tokens']} in, {usage['output_tokens']} out")


if __name__ == "__main__":
    main()
